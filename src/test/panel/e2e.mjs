// End-to-end test of the web panel in Debian's headless chromium, driven by playwright-core (which never
// downloads a browser). Run by PanelIT with the server's URL, the admin key and a fake upstream's base URL:
// it logs in, adds a channel and tests it, adds an MCP tool server (a real one, MCP_URL) and imports another,
// switches a tool off, writes a preset and gives it tools, chats and watches the answer stream in, runs a turn
// with a tool call and opens its step, clears
// the conversation, reads conversations, creates and revokes a key, looks at usage and its cost, edits the
// price table and budgets (and sees a budget refuse a chat), takes a screenshot of every page at its full
// length, and logs out. It prints "RESULT {json}" with facts for the Java side to check, and exits
// non-zero at the first failed expectation.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const BASE = env('PANEL_URL');
const ADMIN_KEY = env('ADMIN_KEY');
const FAKE_BASE_URL = env('FAKE_BASE_URL');
const MCP_URL = env('MCP_URL');
const MCP_DOWN_URL = env('MCP_DOWN_URL');
const TOOL_QUESTION = env('TOOL_QUESTION');
const TOOL_SECRET = 'mcp-header-secret-e2e-5150';
const SHOTS = process.env.SCREENSHOTS ?? path.resolve('screenshots');
const CHANNEL_KEY = 'sk-e2e-upstream-secret-0123456789abcdef';
const CHAT_MESSAGE = 'What can you do for our group?';
const IMAGE_PNG = env('TEST_IMAGE_PNG'); // base64 of a real PNG made by the Java side (ImageIO)
const IMAGE_GIF = env('TEST_IMAGE_GIF');
const TIMEOUT = 15_000;

const result = { chatMessage: CHAT_MESSAGE, channelKey: CHANNEL_KEY, toolSecret: TOOL_SECRET };
const problems = [];
let page;

function step(name) {
  console.log(`▶ ${name}`);
}

/**
 * Saves a picture of the page: toasts gone, no focus ring, scrolled to the top, and (unless `viewportOnly`)
 * the window made as tall as the content, so the sidebar spans the whole picture.
 */
async function shot(name, { viewportOnly = false } = {}) {
  await page.evaluate(() => {
    document.getElementById('toasts').replaceChildren();
    document.activeElement?.blur?.();
  });
  await page.mouse.move(0, 0);
  const viewport = page.viewportSize();
  if (!viewportOnly) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await checkSidebar(name);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.min(10_000, Math.max(viewport.height, height)) });
  }
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
  await page.setViewportSize(viewport);
  console.log(`  screenshot ${name}.png`);
}

/**
 * The sidebar's background runs the whole length of the page, not one screen: its box must be as tall as
 * the document, whatever the window (a full-page picture, a printout, a page scrolled to its end).
 */
async function checkSidebar(where) {
  const { sidebar, page: length, wide } = await page.evaluate(() => ({
    sidebar: document.querySelector('.sidebar').getBoundingClientRect().height,
    page: document.documentElement.scrollHeight,
    wide: window.innerWidth > 860 && !document.getElementById('app-view').hidden, // not the login, nor a phone's top bar
  }));
  if (wide) assert.ok(sidebar >= length - 1, `the sidebar on ${where} is ${sidebar} px tall on a page of ${length} px`);
}

/** Goes to a page through the navigation, as a person would, and waits for its heading. */
async function open(title) {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
}

/** Every form control has a label and every button a name; nothing overflows sideways. */
async function checkAccessible(where) {
  const issues = await page.evaluate(() => {
    const found = [];
    const visible = (el) => el.offsetParent !== null || el.getClientRects().length > 0;
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || !visible(el)) continue;
      const named = el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!named) found.push(`unlabelled ${el.tagName.toLowerCase()} name=${el.name}`);
    }
    for (const el of document.querySelectorAll('button, a[href]')) {
      if (!visible(el)) continue;
      if (!(el.textContent.trim() || el.getAttribute('aria-label'))) found.push(`nameless ${el.tagName.toLowerCase()} ${el.className}`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push(`page scrolls sideways (${document.documentElement.scrollWidth} > ${window.innerWidth})`);
    return found;
  });
  assert.deepEqual(issues, [], `accessibility problems on ${where}`);
}

/** No secret in the page: not in its text, its form values, or the browser's storage. */
async function assertNoSecret(secret, where) {
  const leaks = await page.evaluate((s) => {
    const places = [];
    if (document.documentElement.outerHTML.includes(s)) places.push('markup');
    if (document.body.innerText.includes(s)) places.push('text');
    for (const el of document.querySelectorAll('input, textarea')) if (el.value.includes(s)) places.push(`the value of ${el.id || el.name}`);
    if (JSON.stringify({ ...localStorage }).includes(s)) places.push('localStorage');
    if (JSON.stringify({ ...sessionStorage }).includes(s)) places.push('sessionStorage');
    if (document.cookie.includes(s)) places.push('document.cookie');
    return places;
  }, secret);
  assert.deepEqual(leaks, [], `a secret is visible on ${where}`);
}

async function confirmDialog(button) {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

async function run() {
  await mkdir(SHOTS, { recursive: true });
  await rm(path.join(SHOTS, 'failure.png'), { force: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // Playwright gives every launch a fresh, empty profile (--user-data-dir) of its own.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, locale: 'en-US', colorScheme: 'light', reducedMotion: 'reduce' });
    context.setDefaultTimeout(TIMEOUT);
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A 401 or 404 the panel asked for on purpose is logged by chromium as a failed resource; scripts must log nothing else.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });

    step('The login page refuses a wrong key with the API\'s message, then logs in');
    await page.goto(BASE);
    await page.getByLabel('Admin key').waitFor();
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content', 'the skip link comes first in tab order');
    await checkAccessible('login');
    await shot('login');
    await page.getByLabel('Admin key').fill('not-the-admin-key');
    await page.getByRole('button', { name: 'Log in' }).click();
    const loginError = page.locator('#login-error');
    await loginError.getByText('Unknown or revoked key').waitFor();
    await loginError.getByText('UNAUTHORIZED').waitFor();
    await page.getByLabel('Admin key').fill(ADMIN_KEY);
    await page.getByLabel('Admin key').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Chat', exact: true }).waitFor();
    await assertNoSecret(ADMIN_KEY, 'the panel after login');
    assert.equal(await page.evaluate(() => document.cookie.includes('chatai_session')), false, 'the session cookie is HttpOnly');

    step('Channels: add one for the fake upstream, with its key shown masked only');
    await open('Channels');
    await page.getByRole('heading', { level: 2, name: 'claude-backup' }).waitFor();
    await page.getByRole('button', { name: 'Add channel' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add a channel' });
    await dialog.getByLabel('Name').fill('openai-main');
    await dialog.getByLabel('Type').selectOption('openai');
    await dialog.getByLabel('Base URL').fill(FAKE_BASE_URL);
    await dialog.getByLabel('API keys').fill(CHANNEL_KEY);
    await dialog.getByLabel('Models').fill('*');
    await dialog.getByLabel('Priority').fill('10');
    await checkAccessible('the channel dialog');
    await shot('channel-dialog', { viewportOnly: true });
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    await dialog.waitFor({ state: 'detached' });
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'openai-main' }) });
    await card.waitFor();
    await card.getByText('sk-…cdef').waitFor();
    await assertNoSecret(CHANNEL_KEY, 'the channels page');

    step('Channels: Test shows the latency, and a failing channel shows its error');
    await card.getByRole('button', { name: 'Test' }).click();
    await card.getByText(/OK in \d+ ms/).waitFor();
    const backup = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'claude-backup' }) });
    await backup.getByText(/Cooling/).first().waitFor();
    await backup.getByRole('button', { name: 'Test' }).click();
    await backup.getByText(/Failed after \d+ ms/).waitFor();

    step('Channels: edit one (its masked key stays the stored key), disable and enable another');
    await card.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('dialog', { name: 'Edit openai-main' });
    assert.equal(await editor.getByLabel('API keys').inputValue(), 'sk-…cdef');
    await editor.getByLabel('Weight').fill('3');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await editor.waitFor({ state: 'detached' });
    await card.getByText('10 · 3').waitFor();
    await card.getByRole('button', { name: 'Test' }).click();
    await card.getByText(/OK in \d+ ms/).waitFor();
    const deepseek = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'deepseek' }) });
    await deepseek.getByRole('button', { name: 'Disable' }).click();
    await deepseek.getByText('Disabled', { exact: true }).waitFor();
    await deepseek.getByRole('button', { name: 'Enable' }).click();
    await deepseek.getByText('Healthy', { exact: true }).waitFor();
    await checkAccessible('channels');
    await shot('channels');

    step('Tools: add the MCP test server through the page, with a secret header; the server\'s refusal shown as it said it');
    await open('Tools');
    await page.getByText('No tool servers yet').waitFor();
    await page.getByRole('button', { name: 'Add server' }).first().click();
    const addServer = page.getByRole('dialog', { name: 'Add a tool server' });
    assert.equal(await addServer.getByLabel('Kind').count(), 0, 'no local programs where CHATAI_ALLOW_STDIO_TOOLS is off');
    assert.equal(await addServer.getByLabel('Command').isVisible(), false, 'no command field where local programs are off');
    await addServer.getByLabel('Name', { exact: true }).fill('Toolbox');
    await addServer.getByLabel('URL').fill(MCP_URL);
    await addServer.getByRole('button', { name: 'Add header' }).click();
    await addServer.getByLabel('Header 1 name').fill('X-Tool-Key');
    await addServer.getByLabel('Header 1 value').fill(TOOL_SECRET);
    assert.equal(await addServer.getByLabel('Header 1 value').getAttribute('type'), 'password', 'a header value is typed as a secret');
    await addServer.getByLabel('Timeout (ms)').fill('20000');
    await checkAccessible('the tool server dialog');
    await shot('tool-server-dialog', { viewportOnly: true });
    await addServer.getByRole('button', { name: 'Add server' }).click();
    const refusedServer = addServer.getByRole('alert').filter({ hasText: 'The server was not added' });
    await refusedServer.getByText("got 'Toolbox'").waitFor();
    await refusedServer.getByText('INVALID_REQUEST').waitFor();
    await addServer.getByLabel('Name', { exact: true }).fill('toolbox');
    await addServer.getByRole('button', { name: 'Add server' }).click();
    await addServer.waitFor({ state: 'detached' });
    const toolbox = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'toolbox' }) });
    await toolbox.getByText('Connected', { exact: true }).waitFor();
    await toolbox.getByText('8 tools', { exact: true }).waitFor();
    await toolbox.getByText('X-Tool-Key: …5150').waitFor();
    await toolbox.getByText('1 tool left out').click();
    await toolbox.getByText(/bad\.name/).waitFor();
    await assertNoSecret(TOOL_SECRET, 'the tools page');

    step('Tools: every tool with its description; switch one off');
    const echoRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /toolbox\.echo/ }) });
    await echoRow.getByText('Returns the text it is given.').waitFor();
    await echoRow.getByText('(text)').waitFor();
    const explode = page.getByRole('switch', { name: 'Enable toolbox.explode' });
    assert.equal(await explode.isChecked(), true);
    await explode.click();
    await page.getByText('toolbox.explode off').waitFor();
    assert.equal(await page.getByRole('switch', { name: 'Enable toolbox.explode' }).isChecked(), false);
    await page.getByLabel('Filter tools').fill('number');
    await page.getByRole('rowheader', { name: /toolbox\.add/ }).waitFor();
    assert.equal(await page.getByRole('rowheader', { name: /toolbox\.echo/ }).count(), 0, 'the filter hides what does not match');
    await page.getByLabel('Filter tools').fill('');

    step('Tools: import a Claude Desktop document; a server that cannot be reached shows its error and what to do');
    await page.getByRole('button', { name: 'Import' }).click();
    const importDialog = page.getByRole('dialog', { name: 'Import MCP servers' });
    await importDialog.getByLabel('Configuration').fill('{"mcpServers": {');
    await importDialog.getByRole('button', { name: 'Import' }).click();
    await importDialog.getByRole('alert').getByText(/This is not JSON/).waitFor();
    await importDialog.getByLabel('Configuration').fill(JSON.stringify({ mcpServers: { Offline: { url: MCP_DOWN_URL, type: 'http' } } }));
    await importDialog.getByRole('button', { name: 'Import' }).click();
    await importDialog.waitFor({ state: 'detached' });
    await page.getByText('Imported: 1 created, 0 updated, 1 not connected').waitFor();
    const offline = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'offline' }) });
    await offline.getByText('Error', { exact: true }).waitFor();
    await offline.getByText(/Check that the URL is reachable from this server/).waitFor();
    result.offlineError = await offline.locator('.problem-text').textContent();
    assert.ok(result.offlineError.length > 0, 'the server\'s error is shown in its words');
    await offline.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText(/^offline: /).waitFor();
    await checkAccessible('tools');
    await shot('tools');
    await offline.getByRole('button', { name: 'Delete' }).click();
    await confirmDialog('Delete');
    await page.getByText('offline deleted').waitFor();
    await page.getByRole('heading', { name: 'offline' }).waitFor({ state: 'detached' });

    step('Presets: write one and watch the live preview fill in the variables');
    await open('Presets');
    await page.getByRole('button', { name: 'New preset' }).click();
    await page.getByLabel('ID', { exact: true }).fill('support');
    await page.getByLabel('Name', { exact: true }).fill('Support bot');
    await page.getByLabel('Description').fill('Answers members of a group');
    const prompt = page.getByLabel('System prompt');
    await prompt.fill('You are the support bot of the group ');
    await page.getByRole('button', { name: '{{groupId}}' }).click();
    await prompt.press('End');
    await prompt.pressSequentially('.\nYou are talking to {{userId}}. Today is {{date}}.\nKeep {{mood}} as written.');
    await page.getByLabel('Sample user ID').fill('alice');
    await page.getByLabel('Sample group ID').fill('dev-team');
    const preview = page.locator('.preview');
    await preview.getByText('You are talking to alice').waitFor();
    result.previewPrompt = await preview.textContent();
    assert.match(result.previewPrompt, /^You are the support bot of the group dev-team\.\nYou are talking to alice\. Today is \d{4}-\d\d-\d\d\.\nKeep \{\{mood\}\} as written\.$/);
    await page.getByText('Not a variable, sent as written: {{mood}}').waitFor();
    await page.getByRole('button', { name: 'Create preset' }).click();
    await page.getByText('Preset support created').waitFor();

    step('Presets: the support preset offers the toolbox\'s tools, at most 4 rounds');
    await page.getByRole('heading', { level: 2, name: 'Support bot' }).waitFor(); // the saved preset, shown again
    const addTool = page.getByLabel('Add a tool');
    await addTool.fill('toolbox.nothing');
    await addTool.press('Enter');
    await page.getByText('No tool listed now for toolbox.nothing').waitFor();
    await page.getByRole('button', { name: 'Remove toolbox.nothing' }).click();
    await addTool.fill('toolbox.*');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText(/^Offers 7 tools now: .*Switched off on the Tools page: toolbox\.explode\.$/).waitFor();
    await page.getByLabel('Tool rounds').fill('4');
    await page.getByLabel('Tool choice').selectOption('auto');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Preset support saved').waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Support bot' }).waitFor();
    await page.getByRole('button', { name: 'Remove toolbox.*' }).waitFor();
    assert.equal(await page.getByLabel('Tool rounds').inputValue(), '4', 'the preset kept its rounds');
    await checkAccessible('presets');
    await shot('presets');

    step('Chat: send a message and see the answer stream in token by token');
    await open('Chat');
    await page.getByLabel('User ID').fill('alice');
    await page.getByLabel('Group ID').fill('dev-team');
    await page.getByLabel('Group ID').press('Tab');
    await page.getByLabel('Preset').selectOption('support');
    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.evaluate(() => {
      // Record every length the answer's text passes through.
      window.answerLengths = [];
      new MutationObserver(() => {
        const answer = document.querySelector('.transcript .bubble.assistant:last-of-type .bubble-text');
        if (answer) window.answerLengths.push(answer.textContent.length);
      }).observe(document.querySelector('.transcript'), { subtree: true, childList: true, characterData: true });
    });
    await page.getByLabel('Message').fill(CHAT_MESSAGE);
    await page.getByLabel('Message').press('Enter');
    const answer = page.locator('.transcript .bubble.assistant').last();
    await answer.locator('.bubble-meta').getByText(/completion tokens/).waitFor();
    assert.match(await answer.locator('.bubble-text').textContent(), new RegExp(`You said: "${CHAT_MESSAGE.replace(/[?]/g, '\\?')}"`));
    const lengths = await page.evaluate(() => [...new Set(window.answerLengths)].filter((n) => n > 0));
    assert.ok(lengths.length >= 5, `the answer grew in steps as tokens arrived, saw lengths ${lengths}`);
    const current = page.locator('.conv-item.current');
    await current.getByText('2 messages').waitFor();
    await checkAccessible('chat');
    await shot('chat');

    step('Chat: attach images with the file picker and by pasting, and see their thumbnails in the history');
    await page.locator('input[name="images"]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from(IMAGE_PNG, 'base64') });
    await page.getByLabel('Message').evaluate((input, data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const clipboard = new DataTransfer();
      clipboard.items.add(new File([bytes], 'pasted.gif', { type: 'image/gif' }));
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
    }, IMAGE_GIF);
    await page.locator('.attachments img.thumb').nth(1).waitFor();
    assert.equal(await page.locator('.attachments img.thumb').count(), 2, 'both images are attached');
    await page.getByLabel('Message').fill('What is on these pictures?');
    await page.getByLabel('Message').press('Enter');
    await page.locator('.transcript .bubble.assistant').nth(1).locator('.bubble-meta').getByText(/completion tokens/).waitFor();
    assert.equal(await page.locator('.attachments img').count(), 0, 'sending takes the attachments');
    await current.getByText('4 messages').waitFor();
    await page.locator('.conv-item.current .conv-open').click(); // read back from the server
    const thumbs = page.locator('.transcript .bubble.user').nth(1).locator('img.thumb');
    await thumbs.nth(1).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.transcript .bubble.user img.thumb')]
      .every((img) => img.complete && img.naturalWidth > 0));
    const sources = await thumbs.evaluateAll((imgs) => imgs.map((img) => [img.getAttribute('src'), img.naturalWidth, img.naturalHeight]));
    result.thumbnails = sources;
    for (const [src] of sources) assert.match(src, /^\/api\/conversations\/conv_[A-Za-z0-9]+\/images\/[0-9a-f]{64}$/);

    step('Chat: a thinking model; the toggle shows its reasoning, live and in the history');
    await page.getByLabel('Show reasoning').check();
    await page.getByLabel('Message').fill('Think first, please');
    await page.getByLabel('Message').press('Enter');
    const thinking = page.locator('.transcript .bubble.assistant').last();
    await thinking.locator('.bubble-meta').getByText(/completion tokens/).waitFor();
    assert.equal(await thinking.locator('.bubble-text').textContent(), 'Here is my answer.');
    assert.equal(await thinking.locator('.reasoning-text').textContent(), 'Weighing the options.');
    await page.locator('.conv-item.current').getByText('6 messages').waitFor();
    await page.locator('.conv-item.current .conv-open').click();
    await page.locator('.transcript .bubble.assistant').last().locator('.reasoning-text').getByText('Weighing the options.').waitFor();
    await page.getByLabel('Show reasoning').uncheck();
    await page.locator('.transcript .reasoning').first().waitFor({ state: 'detached' });
    assert.equal(await page.locator('.transcript .bubble.assistant').last().locator('.bubble-text').textContent(), 'Here is my answer.');
    await checkAccessible('chat with images');

    step('Chat: clear the conversation');
    await current.getByRole('button', { name: /^Clear/ }).click();
    await confirmDialog('Clear');
    await page.getByText('Conversation cleared').waitFor();
    await page.getByText('This conversation is empty: its context was cleared.').waitFor();
    await page.locator('.conv-item.current').getByText('0 messages').waitFor();

    step('Chat: delete the conversation');
    const conversations = await page.locator('.conv-item').count();
    await page.locator('.conv-item.current').getByRole('button', { name: /^Delete/ }).click();
    await confirmDialog('Delete');
    await page.getByText('Conversation deleted').waitFor();
    await page.getByText('A new conversation. Your first message starts it.').waitFor();
    assert.equal(await page.locator('.conv-item').count(), conversations - 1);

    step('Chat: a turn with a tool call shows the step (arguments, result, time), live and read back');
    await page.getByLabel('Preset').selectOption('support');
    await page.getByLabel('Message').fill(TOOL_QUESTION);
    await page.getByLabel('Message').press('Enter');
    const toolAnswer = page.locator('.transcript .bubble.assistant').last();
    await toolAnswer.locator('.bubble-meta').getByText(/completion tokens.* · 1 tool call · /).waitFor();
    const toolStep = toolAnswer.locator('details.tool-step');
    await toolStep.locator('summary').getByText('toolbox.add').waitFor();
    await toolStep.locator('summary').getByText(/^\d+ ms$/).waitFor();
    assert.equal(await toolStep.getAttribute('open'), null, 'a step starts collapsed');
    await toolStep.locator('summary').click();
    await toolStep.locator('pre').first().getByText('"a": 2').waitFor();
    assert.equal(await toolStep.locator('pre').last().textContent(), '5');
    assert.match(await toolAnswer.locator('.bubble-text').last().textContent(), /2 \+ 3 = 5/);
    await checkAccessible('chat with a tool step');
    await shot('chat-tools');
    await page.reload(); // the chat page opens the scope's latest conversation, read back with its tool steps
    const readBack = page.locator('.transcript .bubble.assistant').last().locator('details.tool-step');
    await readBack.locator('summary').getByText('toolbox.add').waitFor();
    await readBack.locator('summary').getByText('done').waitFor();
    await readBack.locator('summary').click();
    assert.equal(await readBack.locator('pre').last().textContent(), '5');
    result.toolConversation = await page.locator('.transcript-scope code').textContent();

    step('Conversations: search, page through and read one');
    await open('Conversations');
    const summary = page.locator('.result-summary');
    await summary.getByText(/^1–20 of \d+ conversations$/).waitFor();
    await page.getByRole('link', { name: 'Older →' }).click();
    await summary.getByText(/^21–\d+ of \d+ conversations$/).waitFor();
    await page.getByLabel('User ID').fill('bob');
    await page.getByRole('button', { name: 'Search' }).click();
    await summary.getByText(/^1–\d+ of \d+ conversations$/).waitFor();
    await page.getByRole('table').getByRole('link', { name: 'bob' }).first().click();
    await page.locator('.reader .messages .bubble').first().waitFor();
    await page.getByRole('heading', { level: 2, name: 'bob in dev-team' }).waitFor();
    await page.getByRole('button', { name: 'Reset' }).click();
    await summary.getByText(/^1–20 of \d+ conversations$/).waitFor();
    await page.getByRole('table').getByRole('link').nth(1).click();
    await page.locator('.table tr.selected').waitFor();
    await page.locator('.reader .messages .bubble').first().waitFor();
    await checkAccessible('conversations');
    await shot('conversations');
    await page.getByLabel('User ID').fill('alice');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('table').getByRole('link', { name: 'alice' }).first().click();
    const readerStep = page.locator('.reader details.tool-step');
    await readerStep.locator('summary').getByText('toolbox.add').waitFor(); // the newest of alice's: the tool turn, read with its step
    await readerStep.locator('summary').click();
    assert.equal(await readerStep.locator('pre').last().textContent(), '5');

    step('Keys: create one, see it once, revoke it');
    await open('Keys');
    await page.getByLabel('Name').fill('discord-bot');
    await page.getByLabel('Requests per minute').fill('-5');
    await page.getByRole('button', { name: 'Create key' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'The key was not created' });
    await refused.getByText('rateLimitPerMinute').waitFor(); // the API's own message, from its envelope
    await refused.getByText('INVALID_REQUEST').waitFor();
    await page.getByLabel('Requests per minute').fill('');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByLabel('New key for discord-bot');
    await secret.waitFor();
    result.createdKey = await secret.inputValue();
    assert.match(result.createdKey, /^sk-chatai-[A-Za-z0-9]{43}$/);
    await page.getByRole('row', { name: /discord-bot/ }).waitFor();
    await checkAccessible('keys');
    await shot('keys');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await secret.waitFor({ state: 'detached' });
    await assertNoSecret(result.createdKey, 'the keys page after the key was dismissed');
    await page.getByRole('button', { name: 'Revoke discord-bot' }).click();
    await confirmDialog('Revoke');
    await page.getByText('discord-bot revoked').waitFor();
    await page.getByRole('row', { name: /discord-bot/ }).waitFor({ state: 'detached' });
    const revoked = await page.evaluate(async (key) => (await fetch('/api/conversations', { headers: { Authorization: `Bearer ${key}` } })).status, result.createdKey);
    assert.equal(revoked, 401, 'a revoked key is refused');

    step('Memories: add for one user, search by meaning, edit, delete; secrets refused');
    await open('Memories');
    await page.getByLabel('User ID').fill('panel-user');
    await page.getByRole('button', { name: 'Show memories' }).click();
    await page.getByText('Nothing is remembered about this user yet.').waitFor();
    for (const text of ['The user is vegetarian and avoids meat', 'The user plays the cello in an orchestra']) {
      await page.getByLabel('Memory', { exact: true }).fill(text);
      await page.getByRole('button', { name: 'Add memory' }).click();
      await page.getByRole('rowheader', { name: text }).waitFor();
    }
    await page.getByLabel('Memory', { exact: true }).fill('The user\'s card number is 4111 1111 1111 1111');
    await page.getByRole('button', { name: 'Add memory' }).click();
    const secretRefused = page.getByRole('alert').filter({ hasText: 'The memory was not added' });
    await secretRefused.getByText('INVALID_REQUEST').waitFor();
    await page.getByLabel('Search by meaning').fill('what food they eat');
    await page.getByRole('button', { name: 'Show memories' }).click();
    await page.getByText('ranked by relevance').waitFor();
    assert.equal(await page.locator('tbody tr th').first().textContent(), 'The user is vegetarian and avoids meat');
    await checkAccessible('memories');
    await shot('memories');
    await page.getByRole('button', { name: 'Edit memory: The user plays the cello in an orchestra' }).click();
    const memoryEditor = page.getByRole('dialog');
    await memoryEditor.getByLabel('Memory').fill('The user plays the violin');
    await memoryEditor.getByRole('button', { name: 'Save memory' }).click();
    await page.getByRole('rowheader', { name: 'The user plays the violin' }).waitFor();
    await page.getByRole('button', { name: 'Delete memory: The user plays the violin' }).click();
    await confirmDialog('Delete');
    await page.getByRole('rowheader', { name: 'The user plays the violin' }).waitFor({ state: 'detached' });
    const stored = await page.evaluate(async () => (await (await fetch('/api/memories?userId=panel-user')).json()).data);
    assert.deepEqual(stored.memories.map((m) => m.text), ['The user is vegetarian and avoids meat']);

    step('Usage: charts, the cost of every call, and the breakdowns by model, channel, user and group');
    await open('Usage');
    await page.locator('svg.chart').first().waitFor();
    await page.locator('.stat').filter({ hasText: 'Cost' }).locator('.stat-value').getByText(/^\d/).waitFor();
    await page.getByRole('tab', { name: 'By channel' }).click();
    await page.getByRole('tabpanel').getByRole('rowheader', { name: 'openai-main' }).waitFor();
    await page.getByRole('tab', { name: 'By group' }).click();
    await page.getByRole('tabpanel').getByRole('rowheader', { name: 'dev-team' }).waitFor();
    await page.getByRole('tab', { name: 'By model' }).click();
    const mini = page.getByRole('tabpanel').getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'gpt-4o-mini' }) });
    result.miniCost = await mini.locator('td[data-label="Cost"]').textContent();

    step('Usage: the price table, edited in order and saved; the server\'s refusal shown as it said it');
    const prices = page.getByRole('region', { name: 'Prices' });
    await prices.getByLabel('gpt-4o*: input per million tokens', { exact: true }).waitFor();
    await prices.getByRole('button', { name: 'Add a price' }).click();
    await prices.getByLabel('Model pattern of row 4').fill('claude-*');
    await prices.getByLabel('claude-*: input per million tokens').fill('-1');
    await prices.getByLabel('claude-*: output per million tokens').fill('4');
    await prices.getByRole('button', { name: 'Save prices' }).click();
    const refusedPrices = prices.getByRole('alert').filter({ hasText: 'The prices were not saved' });
    await refusedPrices.getByText('prices[3].inputPerMTok must be from 0.0').waitFor();
    await refusedPrices.getByText('INVALID_REQUEST').waitFor();
    await prices.getByLabel('claude-*: input per million tokens').fill('0.8');
    await prices.getByRole('button', { name: 'Move claude-* up' }).click();
    await prices.getByRole('button', { name: 'Save prices' }).click();
    await page.getByText('Prices saved').waitFor();
    result.prices = await page.evaluate(async () => (await (await fetch('/api/prices')).json()).data);

    step('Usage: budgets with what they used this period; create, edit and delete one');
    const budgets = page.getByRole('region', { name: 'Budgets' });
    await budgets.getByRole('rowheader', { name: 'Each group' }).waitFor();
    await budgets.getByRole('button', { name: 'New budget' }).click();
    const create = page.getByRole('dialog', { name: 'New budget' });
    await create.getByLabel('Scope').selectOption('group');
    await create.getByLabel('Subject').fill('dev-team');
    await create.getByLabel('Max tokens').fill('50000');
    await create.getByLabel('Message').fill('dev-team is done for today.');
    await checkAccessible('the budget dialog');
    await shot('budget-dialog', { viewportOnly: true });
    await create.getByRole('button', { name: 'Create budget' }).click();
    await create.waitFor({ state: 'detached' });
    await page.getByText('Group dev-team created').waitFor();
    const devTeam = budgets.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^Group dev-team/ }) });
    await devTeam.getByText(/of 50,000 tokens/).waitFor();
    await devTeam.getByRole('button', { name: 'Edit Group dev-team' }).click();
    const change = page.getByRole('dialog', { name: 'Edit Group dev-team' });
    await change.getByLabel('Max tokens').fill('60000');
    await change.getByRole('button', { name: 'Save budget' }).click();
    await change.waitFor({ state: 'detached' });
    await devTeam.getByText(/of 60,000 tokens/).waitFor();
    result.devTeamBudget = await page.evaluate(async () => (await (await fetch('/api/budgets')).json()).data
      .find((b) => b.subject === 'dev-team'));
    await checkAccessible('usage');
    await shot('usage');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('usage-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    step('Chat: a user over a budget is refused with the budget\'s message, and nothing is sent upstream');
    await budgets.getByRole('button', { name: 'New budget' }).click();
    const tight = page.getByRole('dialog', { name: 'New budget' });
    await tight.getByLabel('Scope').selectOption('user');
    await tight.getByLabel('Subject').fill('alice');
    await tight.getByLabel('Max tokens').fill('1');
    await tight.getByLabel('Message').fill('Alice is out of AI time today.');
    await tight.getByRole('button', { name: 'Create budget' }).click();
    await tight.waitFor({ state: 'detached' });
    await open('Chat');
    await page.getByLabel('User ID').fill('alice');
    await page.getByLabel('Message').fill('One more question?');
    await page.getByLabel('Message').press('Enter');
    const refusedChat = page.locator('.transcript .bubble').last().getByRole('alert');
    await refusedChat.getByText('Alice is out of AI time today.').waitFor();
    await refusedChat.getByText('QUOTA_EXCEEDED').waitFor();
    await open('Usage');
    await budgets.getByRole('button', { name: 'Delete User alice' }).click();
    await confirmDialog('Delete');
    await page.getByText('User alice deleted').waitFor();
    await budgets.getByRole('rowheader', { name: /^User alice/ }).waitFor({ state: 'detached' });

    step('The API keeps its JSON errors: an unknown /api path is never the panel');
    const unknown = await page.evaluate(async () => {
      const response = await fetch('/api/no-such-route');
      return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
    });
    assert.equal(unknown.status, 404);
    assert.match(unknown.type, /^application\/json/);
    assert.equal(unknown.body.code, 'NOT_FOUND');

    step('A phone-sized screen: every page fits, and the chat still works');
    await page.setViewportSize({ width: 390, height: 844 });
    for (const title of ['Conversations', 'Channels', 'Tools', 'Presets', 'Memories', 'Keys', 'Usage']) {
      await open(title);
      await page.waitForLoadState('networkidle');
      await checkAccessible(`${title} on a phone`);
    }
    await open('Chat');
    await page.locator('.transcript').waitFor();
    await checkAccessible('chat on a phone');
    await page.locator('.conv-item').nth(1).locator('.conv-open').click();
    await page.locator('.transcript .bubble').first().waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('chat-mobile', { viewportOnly: true });
    await page.setViewportSize({ width: 1360, height: 860 });

    step('Logout ends the session');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByText('You are logged out.').waitFor();
    const after = await page.evaluate(async () => (await fetch('/api/keys')).status);
    assert.equal(after, 401, 'the session is over after logout');

    assert.deepEqual(problems, [], 'the page logged errors');
    console.log(`RESULT ${JSON.stringify(result)}`);
  } catch (error) {
    await page?.screenshot({ path: path.join(SHOTS, 'failure.png'), fullPage: true }).then(
      () => console.error(`the page as it was: ${path.join(SHOTS, 'failure.png')}`), () => {});
    throw error;
  } finally {
    await browser.close();
  }
}

run().then(() => {
  console.log('e2e: all steps passed');
}, (error) => {
  console.error(`e2e FAILED: ${error.stack ?? error}`);
  if (problems.length) console.error(`page problems:\n${problems.join('\n')}`);
  process.exitCode = 1;
});
