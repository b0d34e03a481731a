// Server-sent events read from a fetch() body. EventSource cannot POST, and the chat stream is a POST,
// so the panel parses the event stream itself, following the HTML standard's rules: lines end in
// \n, \r\n or \r; `data:` lines of one event are joined with \n; a blank line ends the event; lines
// starting with ':' are comments (the server's keep-alives). No DOM here: node's tests import it.

/** Incremental parser: push text as it arrives, get the complete events it finished. */
export class SseParser {
  #buffer = '';
  #data = [];
  #event = '';

  /** Feeds decoded text; returns the events completed by it, as {event, data}. */
  push(text) {
    this.#buffer += text;
    const events = [];
    let start = 0;
    for (;;) {
      const cr = this.#buffer.indexOf('\r', start);
      const lf = this.#buffer.indexOf('\n', start);
      if (cr < 0 && lf < 0) break;
      let end;
      let next;
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        if (cr === this.#buffer.length - 1) break; // a \r at the end may be the first half of \r\n
        end = cr;
        next = this.#buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      const event = this.#line(this.#buffer.slice(start, end));
      if (event) events.push(event);
      start = next;
    }
    this.#buffer = this.#buffer.slice(start);
    return events;
  }

  /** The stream ended: a pending line is complete, but an event without its blank line is dropped (as the standard says). */
  end() {
    const events = [];
    if (this.#buffer.length > 0) {
      const line = this.#buffer.endsWith('\r') ? this.#buffer.slice(0, -1) : this.#buffer;
      this.#buffer = '';
      const event = this.#line(line);
      if (event) events.push(event);
    }
    return events;
  }

  #line(line) {
    if (line === '') {
      if (this.#data.length === 0) {
        this.#event = '';
        return null;
      }
      const event = { event: this.#event || 'message', data: this.#data.join('\n') };
      this.#data = [];
      this.#event = '';
      return event;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    return null;
  }
}

/** Yields the events of a response body (a ReadableStream of bytes) as they complete. */
export async function* readEvents(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = new SseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    reader.releaseLock();
  }
}
