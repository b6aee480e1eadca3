/**
 * `npm run guidepost -- <command>`: the Guidepost command line (contract in the README).
 * Each command lives in lib/cli/<command>.ts and exports `main(argv: string[]): Promise<number>`.
 */
const commands: Record<string, () => Promise<{ main: (argv: string[]) => Promise<number> }>> = {
  ingest: () => import('../lib/cli/ingest'),
  eql: () => import('../lib/cli/eql'),
  'run-rules': () => import('../lib/cli/run-rules'),
  'demo-data': () => import('../lib/cli/demo-data'),
  users: () => import('../lib/cli/users'),
  assign: () => import('../lib/cli/assign'),
  rules: () => import('../lib/cli/rules'),
  incidents: () => import('../lib/cli/incidents'),
};

const usage = `usage: guidepost <command> [options]

commands:
  ingest <file|-> [--index NAME] [--format auto|ecs|bulk|winlogbeat|sysmon-evtx-json|endgame|defend]
  eql <query> [--index PATTERN] [--from DATE] [--to DATE] [--size N]
  run-rules [--rule ID] [--from DATE --to DATE]
  demo-data [--events N] [--seed S]
  users add <name> --role admin|lead|analyst|viewer [--password P]
  assign <alert-id…> --to NAME|none --as USER
  rules import <file|dir> [--enable] | enable|disable <rule_id…> | --all | list [--json]
  incidents [--json] [--from DATE --to DATE]`;

async function run(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || name === '--help' || name === '-h') {
    console.log(usage);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`guidepost: unknown command '${name}'\n\n${usage}`);
    return 2;
  }
  const mod = await load();
  return mod.main(rest);
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`guidepost: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
