// A fresh machine for the stack scripts: a temp repo holding copies of tools/stack (so .local is
// empty and lib.sh derives it there), and a PATH of only the basic tools bash needs plus shims.
// Nothing optional (chromium, redis-server, mvn, java, npm, curl, postgres...) is on that PATH
// until the stub apt-get "installs" it, which puts a fake of the package's command in bin/.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STACK_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

// What the scripts use unconditionally on any Debian (coreutils, grep, sed, mawk, util-linux).
const BASIC_TOOLS = ['bash', 'sh', 'env', 'cat', 'mkdir', 'rm', 'mv', 'cp', 'ls', 'sed', 'awk', 'grep', 'mktemp',
  'sort', 'tail', 'head', 'cut', 'stat', 'date', 'sleep', 'sha256sum', 'chmod', 'chown', 'dirname', 'tee', 'timeout',
  'touch', 'tr', 'wc', 'setsid', 'flock'];

function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export const BASH = which('bash') ?? '/bin/bash';

const APT_GET = `#!${BASH}
# Stub apt-get: records its arguments; "install" puts a fake of each package's command in bin/.
printf 'apt-get %s\\n' "$*" >>"$STUB_CALLS"
case $1 in
  update) : >"$STUB_ROOT/apt-updated"; echo 'Reading package lists...'; exit 0 ;;
  install) shift ;;
  *) exit 100 ;;
esac
if [[ -n \${STUB_APT_NEEDS_UPDATE:-} && ! -e $STUB_ROOT/apt-updated ]]; then echo "E: Unable to locate package $*"; exit 100; fi
for pkg in "$@"; do
  cmds=()
  case $pkg in
    -*) continue ;;
    chromium) cmds=(chromium) ;;
    redis-server) cmds=(redis-server) ;;
    redis-tools) cmds=(redis-cli) ;;
    maven) cmds=(mvn) ;;
    default-jre-headless) cmds=(java) ;;
    util-linux) cmds=(setsid) ;;
    postgresql | postgresql-[0-9]*)
      ver=\${pkg#postgresql-}; [[ $ver == postgresql ]] && ver=16
      mkdir -p "$PG_LIB_ROOT/$ver/bin"
      for p in initdb pg_ctl postgres pg_isready psql; do cp "$STUB_ROOT/fakes/generic" "$PG_LIB_ROOT/$ver/bin/$p"; done ;;
    *) echo "E: Unable to locate package $pkg"; exit 100 ;;
  esac
  for c in "\${cmds[@]}"; do
    if [[ -e $STUB_ROOT/fakes/$c ]]; then cp "$STUB_ROOT/fakes/$c" "$STUB_BIN/$c"; else cp "$STUB_ROOT/fakes/generic" "$STUB_BIN/$c"; fi
  done
  echo "Setting up $pkg"
done
`;

const FAKES = {
  generic: `#!${BASH}\nprintf '%s %s\\n' "\${0##*/}" "$*" >>"$STUB_CALLS"\n`,
  id: `#!${BASH}\n[[ $1 == -u ]] && echo "$STUB_UID"\n`,
  java: `#!${BASH}\nprintf 'java %s\\n' "$*" >>"$STUB_CALLS"\necho "    java.specification.version = \${STUB_JAVA_VERSION:-21}" >&2\n`,
  // Maven's copy-dependencies: a jar in -DoutputDirectory.
  mvn: `#!${BASH}\nprintf 'mvn %s\\n' "$*" >>"$STUB_CALLS"\nfor a; do [[ $a == -DoutputDirectory=* ]] && : >"\${a#*=}/kafka-fake.jar"; done\necho '[INFO] BUILD SUCCESS'\n`,
  // npm ci: what a real install leaves behind for ensure_node_deps to see.
  npm: `#!${BASH}\nprintf 'npm %s\\n' "$*" >>"$STUB_CALLS"\n[[ $1 == ci ]] && mkdir -p node_modules && : >node_modules/.package-lock.json\n`,
  // A jest run, as nx prints it.
  npx: `#!${BASH}\nprintf 'npx %s\\n' "$*" >>"$STUB_CALLS"\necho 'Tests:       2 passed, 2 total'\n`,
};

function writeExecutable(path, text) {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

// sandbox({ scripts, uid, withNode, withNpm }): the temp machine; scripts are copied from tools/stack.
export function sandbox({ scripts = ['lib.sh', 'node-deps.sh'], uid = 0, withNode = false, withNpm = false } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'stack-test-'));
  const repo = join(root, 'repo');
  const bin = join(root, 'bin');
  const stack = join(repo, 'tools', 'stack');
  mkdirSync(join(stack, 'kafka'), { recursive: true });
  mkdirSync(join(root, 'fakes'));
  mkdirSync(bin);
  for (const script of scripts) copyFileSync(join(STACK_DIR, script), join(stack, script));
  copyFileSync(join(STACK_DIR, 'kafka', 'pom.xml'), join(stack, 'kafka', 'pom.xml'));
  writeFileSync(join(repo, 'package-lock.json'), '{}\n');
  for (const tool of BASIC_TOOLS) {
    const path = which(tool);
    if (path) symlinkSync(path, join(bin, tool));
  }
  if (withNode) symlinkSync(process.execPath, join(bin, 'node'));
  for (const [name, text] of Object.entries(FAKES)) writeExecutable(join(root, 'fakes', name), text);
  writeExecutable(join(bin, 'apt-get'), APT_GET);
  writeExecutable(join(bin, 'id'), FAKES.id);
  if (withNpm) for (const name of ['npm', 'npx']) writeExecutable(join(bin, name), FAKES[name]);
  const calls = join(root, 'calls.log');
  writeFileSync(calls, '');
  const env = {
    PATH: bin, HOME: root, LANG: 'C.UTF-8', STUB_ROOT: root, STUB_BIN: bin, STUB_CALLS: calls, STUB_UID: String(uid),
    PG_LIB_ROOT: join(root, 'pg'),
  };
  return {
    root, repo, bin, stack, env,
    local: join(repo, '.local'),
    calls: () => readFileSync(calls, 'utf8').split('\n').filter(Boolean),
    writeExecutable: (path, text) => writeExecutable(path, text.replace(/^#!bash/, `#!${BASH}`)),
    fake: (name) => writeExecutable(join(bin, name), FAKES[name] ?? FAKES.generic),
    // source lib.sh (and what else is named) and run SCRIPT under the scripts' own strict mode.
    bash: (script, { extraEnv = {}, sources = ['lib.sh'] } = {}) => {
      const prelude = sources.map((s) => `source "${join(stack, s)}"`).join('; ');
      return spawnSync(BASH, ['-c', `set -euo pipefail; ${prelude}; ${script}`], {
        cwd: root, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 20_000,
      });
    },
    run: (args, { extraEnv = {} } = {}) => spawnSync(BASH, args, {
      cwd: repo, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 20_000,
    }),
    spawn: (args, { extraEnv = {} } = {}) => spawn(BASH, args, { cwd: repo, env: { ...env, ...extraEnv } }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

// A TCP port nothing listens on right now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
