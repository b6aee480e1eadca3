/** Windows event shapes → ECS: EVTX-derived JSON, OTRF flat, Winlogbeat 6, Winlogbeat 7+/integration. */
import { argsFields } from './cmdline';
import { mapWindowsRecord, SYSMON_PROVIDER } from './sysmon';
import { cloneDoc, getPath, int, long, isRecord, normGuid, setPath, str, utcIso, WINDOWS_OS, type Doc } from './util';

function attr(o: unknown, path: string): unknown {
  return getPath(o, path);
}

/**
 * `data_stream.*` of a record read from the event log itself (EVTX, OTRF), as Elastic Agent's
 * integration would write it: logs-<event.dataset>-default. Winlogbeat documents keep what
 * they had (Winlogbeat wrote to winlogbeat-* indices, without data streams).
 */
function setDataStream(doc: Doc): void {
  const dataset = str(getPath(doc, 'event.dataset'));
  if (dataset) doc.data_stream = { type: 'logs', dataset, namespace: 'default' };
}

/** `{"Event":{"System":{…},"EventData":{…}}}` (EVTX converted to JSON). */
export function fromEvtx(raw: Doc): Doc {
  const ev = raw.Event as Doc;
  const sys = (isRecord(ev.System) ? ev.System : {}) as Doc;
  const data = isRecord(ev.EventData) ? (ev.EventData as Doc) : {};
  const idRaw = attr(sys, 'EventID.#text') ?? sys.EventID;
  const eventId = int(idRaw) ?? 0;
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (!k.startsWith('#')) fields[k] = v;
  const doc = mapWindowsRecord({
    provider: str(attr(sys, 'Provider.#attributes.Name')),
    eventId,
    channel: str(sys.Channel),
    host: str(sys.Computer),
    recordId: str(sys.EventRecordID),
    time: utcIso(attr(sys, 'TimeCreated.#attributes.SystemTime')),
    keywords: sys.Keywords,
    userSid: str(attr(sys, 'Security.#attributes.UserID')),
    data: fields,
  });
  setDataStream(doc);
  const created = utcIso(attr(sys, 'TimeCreated.#attributes.SystemTime'));
  if (created) setPath(doc, 'event.created', created);
  const pid = long(attr(sys, 'Execution.#attributes.ProcessID'));
  if (pid !== undefined) setPath(doc, 'winlog.process.pid', pid);
  return doc;
}

const OTRF_HEADER = new Set([
  'SourceName', 'EventID', 'Channel', 'Hostname', 'Task', 'Message', 'TimeCreated', '@timestamp',
  'Keywords', 'Level', 'ProviderGuid', 'EventTime', 'EventReceivedTime', 'SourceModuleName',
  'SourceModuleType', 'port', 'host', '@version', 'tags', 'Severity', 'SeverityValue', 'RecordNumber',
  'EventType_', 'OpcodeValue', 'Opcode', 'Version', 'ThreadID', 'ExecutionProcessID', 'Category',
]);

/** Is this OTRF record a Sysmon one (whose UtcTime is the true clock)? */
export function otrfIsSysmon(raw: Doc): boolean {
  return raw.SourceName === SYSMON_PROVIDER && typeof raw.UtcTime === 'string';
}

/**
 * The collector's constant clock offset of an OTRF file, from one Sysmon record that has
 * both UtcTime and TimeCreated: rounded to 15 minutes (the two clocks differ by the offset
 * plus a small logging delay).
 */
export function otrfOffsetMs(raw: Doc): number | undefined {
  if (!otrfIsSysmon(raw)) return undefined;
  const utc = Date.parse(utcIso(raw.UtcTime) ?? '');
  const created = Date.parse(utcIso(String(raw.TimeCreated ?? '').replace(/Z$/, '')) ?? '');
  if (Number.isNaN(utc) || Number.isNaN(created)) return undefined;
  const q = 15 * 60 * 1000;
  return Math.round((utc - created) / q) * q;
}

/** OTRF "flat" record; `offsetMs` corrects TimeCreated (local time, sometimes with a false Z) for non-Sysmon records. */
export function fromOtrf(raw: Doc, offsetMs: number): Doc {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!OTRF_HEADER.has(k)) fields[k] = v;
  const local = String(raw.TimeCreated ?? raw['@timestamp'] ?? '').replace(/Z$/, '');
  const doc = mapWindowsRecord({
    provider: str(raw.SourceName),
    eventId: int(raw.EventID) ?? 0,
    channel: str(raw.Channel),
    host: str(raw.Hostname),
    recordId: str(raw.RecordNumber),
    time: utcIso(local, offsetMs),
    keywords: raw.Keywords,
    data: fields,
  });
  setDataStream(doc);
  const created = utcIso(local, offsetMs);
  if (created) setPath(doc, 'event.created', created);
  if (str(raw.Task)) setPath(doc, 'winlog.task', str(raw.Task));
  if (str(raw.Message)) doc.message = raw.Message;
  return doc;
}

/** Winlogbeat 6.x: `event_data`, `source_name`, `event_id`, `computer_name` at the top level. */
export function fromWinlogbeat6(raw: Doc): Doc {
  const data = isRecord(raw.event_data) ? (raw.event_data as Doc) : isRecord(raw.user_data) ? (raw.user_data as Doc) : {};
  const doc = mapWindowsRecord({
    provider: str(raw.source_name),
    eventId: int(raw.event_id) ?? 0,
    channel: str(raw.log_name),
    host: str(raw.computer_name) ?? str(getPath(raw, 'host.name')),
    recordId: str(raw.record_number),
    time: utcIso(raw['@timestamp']),
    keywords: raw.keywords,
    userSid: str(getPath(raw, 'user.identifier')),
    data,
  });
  // Winlogbeat 6's own @timestamp is true UTC; Sysmon's UtcTime (preferred above) is the event time.
  if (isRecord(raw.user)) setPath(doc, 'winlog.user', raw.user);
  if (raw.message !== undefined) doc.message = raw.message;
  if (isRecord(raw.beat)) doc.agent = { type: 'winlogbeat', ...(raw.beat as Doc) };
  return doc;
}

/** Winlogbeat 7+ / windows integration documents: mostly ECS already; fill the gaps. */
export function fromWinlogbeat(raw: Doc): Doc {
  const doc: Doc = cloneDoc(raw);
  const winlog = doc.winlog as Doc;
  const eventId = int(winlog.event_id) ?? int(getPath(doc, 'event.code')) ?? 0;
  const data = isRecord(winlog.event_data) ? (winlog.event_data as Doc) : {};
  const mapped = mapWindowsRecord({
    provider: str(winlog.provider_name),
    eventId,
    channel: str(winlog.channel),
    host: str(winlog.computer_name),
    recordId: str(winlog.record_id),
    data,
  });
  const ev = (isRecord(doc.event) ? doc.event : (doc.event = {})) as Doc;
  // old ECS: category as a string, a literal "type:" key (upstream typo) instead of type
  if (typeof ev.category === 'string') ev.category = [ev.category];
  if (typeof ev.type === 'string') ev.type = [ev.type];
  if (ev.code !== undefined && typeof ev.code !== 'string') ev.code = str(ev.code) ?? String(ev.code);
  const mEv = mapped.event as Doc;
  const isSysmon = mEv.module === 'sysmon';
  if (isSysmon || !Array.isArray(ev.category)) {
    if (!Array.isArray(ev.category) && mEv.category) ev.category = mEv.category;
    if (!Array.isArray(ev.type) && mEv.type) ev.type = mEv.type;
  }
  mergeMissing(doc, mapped, ['winlog', 'event', '@timestamp']);
  if (!doc['@timestamp'] && mapped['@timestamp']) doc['@timestamp'] = mapped['@timestamp'];
  for (const k of ['provider', 'module', 'kind', 'action'] as const) if (ev[k] === undefined && mEv[k] !== undefined) ev[k] = mEv[k];
  fixEntityIds(doc);
  // Winlogbeat splits command lines itself; documents that lack the split get it here
  for (const prefix of ['process', 'process.parent']) {
    const cmd = str(getPath(doc, `${prefix}.command_line`));
    const argv = cmd && getPath(doc, `${prefix}.args`) === undefined ? argsFields(cmd) : undefined;
    if (argv) {
      setPath(doc, `${prefix}.args`, argv.args);
      setPath(doc, `${prefix}.args_count`, argv.args_count);
    }
  }
  setPath(doc, 'host.name', str(winlog.computer_name), false);
  setPath(doc, 'host.os', { ...WINDOWS_OS, ...(isRecord(getPath(doc, 'host.os')) ? (getPath(doc, 'host.os') as Doc) : {}) });
  setPath(doc, 'host.os.type', 'windows');
  return doc;
}

/** Copies fields of `src` into `dst` where `dst` has none (deep), skipping top-level `skip` keys. */
function mergeMissing(dst: Doc, src: Doc, skip: string[] = []): void {
  for (const [k, v] of Object.entries(src)) {
    if (skip.includes(k)) continue;
    const cur = dst[k];
    if (cur === undefined || cur === null) dst[k] = v;
    else if (isRecord(cur) && isRecord(v)) mergeMissing(cur, v);
  }
}

/** Lower-cases process entity ids and drops the null GUID (never a shared parent). */
export function fixEntityIds(doc: Doc): void {
  for (const p of ['process.entity_id', 'process.parent.entity_id', 'Target.process.entity_id']) {
    const v = getPath(doc, p);
    if (v === undefined) continue;
    const n = normGuid(v);
    const parts = p.split('.');
    const owner = getPath(doc, parts.slice(0, -1).join('.'));
    if (!isRecord(owner)) continue;
    if (n === undefined) delete owner[parts[parts.length - 1]];
    else owner[parts[parts.length - 1]] = n;
  }
}
