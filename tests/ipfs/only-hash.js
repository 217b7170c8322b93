#!/usr/bin/env node
// only-hash.js - the reference: the CID `ipfs add` gives each file, from the
// npm package ipfs-only-hash (js-ipfs's importer with onlyHash).
//   node only-hash.js [--cid-version 0|1] [--raw-leaves] [--chunk-size N] FILE...
// Prints one CID a line, in the order of the files.
'use strict'
const fs = require('fs')
const path = require('path')
const Hash = require(path.join(__dirname, '../../tools/node_modules/ipfs-only-hash'))

async function main () {
  const args = process.argv.slice(2)
  const opts = { cidVersion: 0, rawLeaves: false }
  const files = []
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--cid-version') opts.cidVersion = Number(args[++i])
    else if (args[i] === '--raw-leaves') opts.rawLeaves = true
    else if (args[i] === '--chunk-size') opts.maxChunkSize = Number(args[++i])
    else files.push(args[i])
  }
  const out = []
  for (const f of files) out.push(await Hash.of(fs.readFileSync(f), opts))
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''))
}
main().catch(e => { console.error('only-hash.js: ' + e.message); process.exit(1) })
