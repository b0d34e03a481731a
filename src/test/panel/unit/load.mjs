// Imports one of the panel's browser modules into node. They are plain ES modules with a .js name and no
// package.json of their own (the jar serves them as they are), so node gets a copy named .mjs.
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PANEL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../main/resources/panel/js');

export async function loadPanelModule(name) {
  const dir = await mkdtemp(path.join(tmpdir(), 'chatai-panel-'));
  const copy = path.join(dir, name.replace(/\.js$/, '.mjs'));
  await copyFile(path.join(PANEL, name), copy);
  return import(pathToFileURL(copy).href);
}

export const RESOURCES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources');
