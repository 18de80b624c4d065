import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { PEER_FIXTURES } from '../helpers/paths.js';
import { importConfig, manifestFor } from '../../src/image/rootfs-import.js';
import { MEDIA_TYPES } from '../../src/image/oci-types.js';
import { sha256Digest } from '../../src/image/digest.js';

const SCHEMA_DIR = join(PEER_FIXTURES, 'image-spec/schema');
const BASE = 'https://oci.schema.test/';

/** The image-spec schemas are draft-04 with ids that do not resolve by file name: give each a plain $id. */
function rewrite(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'id' && typeof value === 'string') continue;
    if (key === '$schema') continue;
    out[key] = key === '$ref' && typeof value === 'string' && !value.startsWith('#') ? BASE + value : rewrite(value);
  }
  return out;
}

function loadAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json'))) {
    const schema = rewrite(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8'))) as Record<string, unknown>;
    ajv.addSchema({ ...schema, $id: BASE + file });
  }
  return ajv;
}

function check(ajv: Ajv, schemaFile: string, data: unknown): void {
  const validate = ajv.getSchema(BASE + schemaFile)!;
  assert.ok(validate(data), JSON.stringify(validate.errors, null, 2));
}

const diffId = sha256Digest('layer');

test('the import config validates against the OCI config schema', () => {
  const ajv = loadAjv();
  const config = importConfig(diffId, {
    changes: ['CMD ["sh"]', 'ENV A=b', 'EXPOSE 80 53/udp', 'LABEL a=b', 'WORKDIR /x', 'USER app', 'VOLUME /data', 'STOPSIGNAL SIGTERM'],
    message: 'hello',
  });
  check(ajv, 'config-schema.json', config);
  assert.equal(config.os, 'linux');
  assert.deepEqual(config.rootfs, { type: 'layers', diff_ids: [diffId] });
  assert.deepEqual(config.history, [{ created: config.created, comment: 'hello' }]);
  check(ajv, 'config-schema.json', importConfig(diffId, {}));
});

test('the import manifest validates against the OCI manifest schema', () => {
  const ajv = loadAjv();
  const config = { mediaType: MEDIA_TYPES.ociConfig, digest: sha256Digest('c'), size: 1 };
  const layer = { mediaType: MEDIA_TYPES.ociLayerGzip, digest: sha256Digest('l'), size: 2 };
  check(ajv, 'image-manifest-schema.json', manifestFor(config, [layer]));
});

test('the schema check itself catches a bad config', () => {
  const ajv = loadAjv();
  const validate = ajv.getSchema(BASE + 'config-schema.json')!;
  assert.equal(validate({ architecture: 'amd64', os: 'linux', rootfs: { type: 'tarball', diff_ids: [] } }), false);
});
