#!/usr/bin/env node
// Writes precompressed copies (FILE.br, brotli quality 11, and FILE.gz, gzip -9) next to every
// compressible file of a built site, for static hosts that serve them (see README "Building and
// deploying"). Run by Trunk's post_build hook (Trunk.toml) on the staging directory of release
// builds, or by hand:  node scripts/precompress.mjs DIR
// Node's zlib only: no extra tools. A copy is kept only when it is smaller than the original.
import { readdirSync, readFileSync, statSync, writeFileSync, unlinkSync, existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = new Set(['.wasm', '.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.mmd']);
const MIN_BYTES = 256;

const env = process.env;
const dir = process.argv[2] ?? env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('usage: node scripts/precompress.mjs DIR   (or run from Trunk with TRUNK_STAGING_DIR set)');
  process.exit(2);
}
// Debug builds (`trunk serve` while editing) skip the work; TRUNK_PROFILE is set by Trunk.
if (!process.argv[2] && env.TRUNK_PROFILE && env.TRUNK_PROFILE !== 'release') {
  console.log(`[precompress] ${env.TRUNK_PROFILE} build: skipped`);
  process.exit(0);
}

function* files(d) {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

let raw = 0;
let br = 0;
let gz = 0;
for (const file of [...files(dir)]) {
  if (!COMPRESSIBLE.has(extname(file))) continue;
  const data = readFileSync(file);
  if (data.length < MIN_BYTES) continue;
  const out = {
    br: brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [constants.BROTLI_PARAM_MODE]: extname(file) === '.wasm' ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      },
    }),
    gz: gzipSync(data, { level: 9 }),
  };
  for (const [ext, bytes] of Object.entries(out)) {
    const target = `${file}.${ext}`;
    if (bytes.length < data.length) writeFileSync(target, bytes);
    else if (existsSync(target)) unlinkSync(target);
  }
  raw += data.length;
  br += Math.min(out.br.length, data.length);
  gz += Math.min(out.gz.length, data.length);
}
console.log(`[precompress] ${dir}: ${raw} bytes -> ${gz} gzip -9, ${br} brotli 11`);
