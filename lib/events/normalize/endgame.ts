/** Endgame / EQL flat events (endgameinc eql test data, eqllib normalised Sysmon) → ECS. */
import { argsFields } from './cmdline';
import { registryFields } from './sysmon';
import { basename, cloneDoc, compact, fileFields, filetimeIso, int, long, normGuid, setPath, splitUser, str, WINDOWS_OS, type Doc } from './util';

const SUBTYPE_FULL: Record<string, { type: string[]; action?: string }> = {
  // a snapshot of a process that was running when the sensor started, not a start (Defend: info)
  already_running: { type: ['info'], action: 'already_running' },
  creation_event: { type: ['start'] },
  termination_event: { type: ['end'] },
  file_create_event: { type: ['creation'] },
  file_delete_event: { type: ['deletion'] },
  file_modify_event: { type: ['change'] },
  file_rename_event: { type: ['change'] },
  registry_modify_event: { type: ['change'] },
  registry_create_event: { type: ['creation'] },
  registry_delete_event: { type: ['deletion'] },
  ipv4_connection_attempt_event: { type: ['start', 'connection'] },
  ipv6_connection_attempt_event: { type: ['start', 'connection'] },
  ipv4_connection_accept_event: { type: ['start', 'connection'] },
  ipv4_disconnect_received_event: { type: ['end', 'connection'] },
  request_event: { type: ['protocol', 'info'] },
  image_load_event: { type: ['start'] },
};

/** Does a document look like an Endgame/EQL flat event? */
export function isEndgameFlat(raw: Doc): boolean {
  return typeof raw.event_type === 'string' && ('unique_pid' in raw || 'serial_event_id' in raw || 'timestamp' in raw);
}

function entity(v: unknown): string | undefined {
  // unique_pid: a small integer (native sensor) or a Sysmon GUID string (eqllib): always a string
  return typeof v === 'number' ? String(v) : normGuid(v);
}

export function fromEndgame(raw: Doc): Doc {
  const eventType = String(raw.event_type);
  const subtype = str(raw.subtype);
  const full = str(raw.event_subtype_full);
  const doc: Doc = {};
  const ts = filetimeIso(raw.timestamp) ?? (typeof raw['@timestamp'] === 'string' ? raw['@timestamp'] : undefined);
  if (ts) doc['@timestamp'] = ts;
  let category: string[];
  let type: string[] = [];
  let action = full;
  switch (eventType) {
    case 'process':
      category = ['process'];
      type = full && SUBTYPE_FULL[full] ? SUBTYPE_FULL[full].type
        : subtype === 'terminate' ? ['end'] : subtype === 'create' ? ['start'] : ['info'];
      if (full === 'already_running') action = 'already_running';
      break;
    case 'file':
      category = ['file'];
      // only event_subtype_full says deletion (deletes carry subtype "modify"); eqllib file events are all creations
      type = full ? SUBTYPE_FULL[full]?.type ?? ['change'] : subtype === 'delete' ? ['deletion'] : ['creation'];
      break;
    case 'registry':
      category = ['registry'];
      type = full ? SUBTYPE_FULL[full]?.type ?? ['change'] : ['change'];
      break;
    case 'network':
      category = ['network'];
      type = full ? SUBTYPE_FULL[full]?.type ?? ['connection'] : ['start', 'connection'];
      if (subtype === 'outgoing' || subtype === 'incoming') {
        setPath(doc, 'network.direction', subtype === 'outgoing' ? 'egress' : 'ingress');
      }
      break;
    case 'dns':
      category = ['network'];
      type = ['protocol', 'info'];
      setPath(doc, 'network.protocol', 'dns');
      break;
    case 'image_load':
      category = ['library'];
      type = ['start'];
      break;
    default:
      category = [eventType];
  }
  doc.event = compact({
    kind: 'event',
    module: 'endgame',
    dataset: 'esensor',
    category,
    type,
    action: action ?? (subtype ? `${eventType}_${subtype}` : undefined),
    sequence: long(raw.serial_event_id),
  });
  doc.host = { os: { ...WINDOWS_OS } };
  const host = str(raw.hostname) ?? str(raw.host_name) ?? str(raw.computer_name);
  if (host) setPath(doc, 'host.name', host);

  const proc: Doc = compact({
    entity_id: entity(raw.unique_pid),
    pid: long(raw.pid),
    name: str(raw.process_name),
    executable: str(raw.process_path),
    command_line: str(raw.command_line),
    hash: str(raw.md5) ? { md5: str(raw.md5)?.toLowerCase() } : undefined,
  });
  if (!proc.name && typeof proc.executable === 'string') proc.name = basename(proc.executable);
  const argv = argsFields(str(raw.command_line));
  if (argv) Object.assign(proc, argv);
  const parent: Doc = compact({
    entity_id: entity(raw.unique_ppid),
    pid: long(raw.ppid),
    name: str(raw.parent_process_name),
    executable: str(raw.parent_process_path),
  });
  if (!parent.name && typeof parent.executable === 'string') parent.name = basename(parent.executable);
  if (Object.keys(parent).length) proc.parent = parent;
  if (Object.keys(proc).length) doc.process = proc;

  const split = splitUser(raw.user);
  const userName = str(raw.user_name) ?? split.name;
  const userDomain = str(raw.user_domain) ?? split.domain;
  if (userName) setPath(doc, 'user.name', userName);
  if (userDomain) setPath(doc, 'user.domain', userDomain);

  const filePath = str(raw.file_path);
  if (eventType === 'file' && filePath) {
    doc.file = fileFields(filePath);
  } else if (eventType === 'file' && str(raw.file_name)) {
    doc.file = fileFields(str(raw.file_name) as string);
  }
  if (eventType === 'image_load') {
    const p = str(raw.image_path) ?? str(raw.image_name);
    if (p) doc.file = fileFields(p);
    if (p) setPath(doc, 'dll.path', p);
    if (str(raw.image_name)) setPath(doc, 'dll.name', str(raw.image_name));
  }
  if (eventType === 'registry') {
    const p = str(raw.registry_path) ?? str(raw.registry_key);
    if (p) doc.registry = registryFields(p, raw.registry_data ?? raw.registry_value_data);
    if (p && str(raw.registry_value)) setPath(doc, 'registry.value', str(raw.registry_value));
  }
  if (eventType === 'network') {
    doc.source = compact({ ip: str(raw.source_address), port: int(raw.source_port) });
    doc.destination = compact({ ip: str(raw.destination_address), port: int(raw.destination_port) });
    if (str(raw.protocol)) setPath(doc, 'network.transport', str(raw.protocol)?.toLowerCase());
  }
  if (eventType === 'dns' && str(raw.query_name)) setPath(doc, 'dns.question.name', str(raw.query_name));
  // everything the source said, verbatim (FILETIME kept as the number JSON gave)
  doc.endgame = { ...raw };
  return doc;
}

/** Endgame's own ECS output (`event.module: endgame`): ECS mostly there; add what the rule needs. */
export function fromEndgameEcs(raw: Doc): Doc {
  const doc: Doc = cloneDoc(raw);
  const ev = doc.event as Doc;
  if (typeof ev.category === 'string') ev.category = [ev.category];
  if (typeof ev.type === 'string') ev.type = [ev.type];
  const legacy = doc.endgame;
  if (legacy && typeof legacy === 'object' && !Array.isArray(legacy)) {
    const mapped = fromEndgame({ event_type: String((ev.category as string[] | undefined)?.[0] ?? ''), ...(legacy as Doc) });
    for (const k of ['process', 'file', 'user', 'registry'] as const) {
      if (doc[k] === undefined && mapped[k] !== undefined) doc[k] = mapped[k];
    }
    if (!Array.isArray(ev.type) && ev.action === 'file_delete_event') ev.type = ['deletion'];
    if (!Array.isArray(ev.type) && ev.action === 'file_create_event') ev.type = ['creation'];
  }
  setPath(doc, 'host.os.type', 'windows', false);
  return doc;
}
