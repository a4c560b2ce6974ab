// Shared by the XDM tests: fixture loading and the location of Adobe's XDM library copy.
import { readdirSync, readFileSync } from 'node:fs';
import type { XdmInput, XdmKind } from '../../src/inventory/xdm/index.js';

/** Adobe's adobe/xdm library, read in place (never copied into the project). */
export const CORPUS = '../shared/corpus/xdm';

/** Every JSON file of a fixture folder as inputs of one kind, paths relative to the repository root. */
export function loadFolder(dir: string, kind: XdmKind): XdmInput[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: `${dir}/${f}`, value: JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as unknown, kind }));
}

export const TENANT_SCHEMA = 'https://ns.adobe.com/acme/schemas/5d3f9a1c2b7e4f60';
export const HOUSEHOLD_SCHEMA = 'https://ns.adobe.com/acme/schemas/0e4b8d2f6a1c9357';
export const PROFILE = 'https://ns.adobe.com/xdm/context/profile';

/** Descriptors and the relationship's destination schema: the same for both forms. */
export function sharedInputs(): XdmInput[] {
  return [...loadFolder('fixtures/xdm/shared/descriptors', 'descriptor'), ...loadFolder('fixtures/xdm/shared/schemas', 'schema')];
}

/** The tenant Profile schema as the Registry's raw `xed` form exports it, with its tenant components. */
export function rawInputs(): XdmInput[] {
  return [
    ...loadFolder('fixtures/xdm/raw/schemas', 'schema'),
    ...loadFolder('fixtures/xdm/raw/fieldgroups', 'fieldgroup'),
    ...loadFolder('fixtures/xdm/raw/datatypes', 'datatype'),
    ...sharedInputs(),
  ];
}

/** The same schema as `xed-full` exports it. */
export function fullInputs(): XdmInput[] {
  return [...loadFolder('fixtures/xdm/full/schemas', 'schema'), ...sharedInputs()];
}
