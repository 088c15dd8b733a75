// Runs one guest .wasm under node: instantiates it (no imports needed by the benchmark
// guests; any import is answered by a trap), calls run(SIZE) and prints the checksum as
// 16 hex digits. Usage: node wasm_runner.mjs guest.wasm SIZE
import { readFileSync } from 'node:fs';

const [, , path, sizeText] = process.argv;
if (!path || !/^\d+$/.test(sizeText ?? '')) {
  console.error('usage: node wasm_runner.mjs guest.wasm SIZE');
  process.exit(2);
}
const module = await WebAssembly.compile(readFileSync(path));
const env = {};
for (const entry of WebAssembly.Module.imports(module)) {
  if (entry.kind === 'function') {
    env[entry.name] = () => { throw new Error(`guest called unprovided import ${entry.name}`); };
  }
}
const instance = await WebAssembly.instantiate(module, { env });
const checksum = BigInt.asUintN(64, BigInt(instance.exports.run(Number(sizeText))));
console.log(checksum.toString(16).padStart(16, '0'));
