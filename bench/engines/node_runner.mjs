// Times one wasm guest inside node and prints what it measured, one fact per line, for the
// pvmlab bench adapters (bench/engines/adapter_node.c):
//
//   node [V8 flags] node_runner.mjs ENGINE MODE WASM SIZE COUNT INNER
//
// ENGINE: v8 (node's own WebAssembly) or wasmtime (the npm `wasmtime` binding, loaded from
// bench/engines/node_modules). MODE: execution | oneshot | compilation. Prints
//   version <text>
//   sample <ns> <checksum hex or "-">     (COUNT lines)
// where a sample is: execution, the mean of INNER run(SIZE) calls on one instance;
// oneshot, compile + instantiate + one run; compilation, the compile alone. The checksum is
// the low 64 bits of run()'s result; the wasmtime binding returns i64 as a JS number, so its
// checksums carry 53 significant bits ("bits 53" is printed then).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [, , engineName, mode, wasmPath, sizeText, countText, innerText] = process.argv;
const fail = (message, code = 2) => {
  console.error(`node_runner: ${message}`);
  process.exit(code);
};
if (!['v8', 'wasmtime'].includes(engineName) || !['execution', 'oneshot', 'compilation'].includes(mode) ||
    !wasmPath || ![sizeText, countText, innerText].every((t) => /^\d+$/.test(t ?? ''))) {
  fail('usage: node node_runner.mjs v8|wasmtime execution|oneshot|compilation WASM SIZE COUNT INNER');
}
const size = Number(sizeText);
const count = Number(countText);
const inner = Math.max(1, Number(innerText));
const bytes = readFileSync(wasmPath);
const now = () => process.hrtime.bigint();

// A custom section with a fresh payload makes every compile see new bytes, so V8's
// in-process module cache cannot answer a compile that is being timed.
let uniqueCounter = 0;
function uniqueBytes() {
  const name = Buffer.from('pvmlab-bench');
  const payload = Buffer.alloc(8);
  payload.writeBigUInt64LE(BigInt(++uniqueCounter));
  const body = Buffer.concat([Buffer.from([name.length]), name, payload]);
  return Buffer.concat([bytes, Buffer.from([0, body.length]), body]);
}

function v8Engine() {
  const imports = (module) => {
    const env = {};
    for (const entry of WebAssembly.Module.imports(module)) {
      if (entry.kind === 'function') {
        env[entry.name] = () => { throw new Error(`guest called unprovided import ${entry.name}`); };
      }
    }
    return { env };
  };
  return {
    version: `V8 ${process.versions.v8} (node ${process.version})`,
    bits: 64,
    compile: (fresh) => new WebAssembly.Module(fresh ? uniqueBytes() : bytes),
    instantiate: (module) => {
      const run = new WebAssembly.Instance(module, imports(module)).exports.run;
      return () => BigInt.asUintN(64, BigInt(run(size)));
    },
  };
}

function wasmtimeEngine() {
  const require = createRequire(new URL('./node_modules/', import.meta.url));
  let binding, version = 'unknown';
  try {
    binding = require('wasmtime');
    const cargo = readFileSync(require.resolve('wasmtime/Cargo.toml'), 'utf8');
    const crate = /^wasmtime\s*=\s*"([^"]+)"/m.exec(cargo);
    version = `npm wasmtime ${require('wasmtime/package.json').version} (wasmtime ${crate ? crate[1] : '?'})`;
  } catch (error) {
    fail(`the npm wasmtime package does not load: ${error.message}`, 3);
  }
  const engine = binding.Engine.default();
  return {
    version,
    bits: 53,
    // The binding compiles from a path only and keeps no module cache, so bytes need not vary.
    compile: () => binding.Module.fromFile(engine, wasmPath),
    instantiate: (module) => {
      const store = new binding.Store(engine);
      const run = new binding.Instance(store, module).getFunc(store, 'run');
      if (!run) fail('the module exports no run function', 3);
      return () => BigInt.asUintN(64, BigInt(run.call(store, [size])));
    },
  };
}

const engine = engineName === 'v8' ? v8Engine() : wasmtimeEngine();
console.log(`version ${engine.version}`);
console.log(`bits ${engine.bits}`);
const hex = (value) => value.toString(16).padStart(16, '0');
const lines = [];
if (mode === 'execution') {
  const run = engine.instantiate(engine.compile(false));
  for (let i = 0; i < count; i++) {
    let checksum = 0n;
    const start = now();
    for (let j = 0; j < inner; j++) checksum = run();
    const elapsed = (now() - start) / BigInt(inner);
    lines.push(`sample ${elapsed} ${hex(checksum)}`);
  }
} else {
  for (let i = 0; i < count; i++) {
    const start = now();
    const module = engine.compile(true);
    if (mode === 'compilation') {
      lines.push(`sample ${now() - start} -`);
      continue;
    }
    const checksum = engine.instantiate(module)();
    lines.push(`sample ${now() - start} ${hex(checksum)}`);
  }
}
console.log(lines.join('\n'));
