/**
 * Windows event log records (Sysmon and a few Security events) → ECS, following the
 * field mapping of Elastic's sysmon/security pipelines (see datasets README §3).
 * Input is provider-neutral: the EventData fields with their native names.
 */
import { setCommandLine } from './cmdline';
import { auditOutcome, mapSecurityData, SECURITY_EVENTS } from './security';
import {
  basename,
  compact,
  fileFields,
  int,
  long,
  normGuid,
  setPath,
  splitUser,
  str,
  utcIso,
  WINDOWS_OS,
  type Doc,
} from './util';

export const SYSMON_PROVIDER = 'Microsoft-Windows-Sysmon';

export interface WindowsRecord {
  provider?: string;
  eventId: number;
  channel?: string;
  host?: string;
  recordId?: string | number;
  /** the record's own time (UTC ISO), used when the data carries no UtcTime */
  time?: string;
  /** the record's keywords (audit success / failure), as names or the 64-bit mask */
  keywords?: unknown;
  /** the SID of the account that wrote the record (System/Security/@UserID) */
  userSid?: string;
  data: Record<string, unknown>;
}

interface Kind {
  category: string[];
  type: string[];
  action: string;
}

const SYSMON: Record<number, Kind> = {
  1: { category: ['process'], type: ['start'], action: 'Process Create' },
  2: { category: ['file'], type: ['change'], action: 'File creation time changed' },
  3: { category: ['network'], type: ['start', 'connection', 'protocol'], action: 'Network connection detected' },
  4: { category: ['process'], type: ['change'], action: 'Sysmon service state changed' },
  5: { category: ['process'], type: ['end'], action: 'Process terminated' },
  6: { category: ['driver'], type: ['start'], action: 'Driver loaded' },
  7: { category: ['process'], type: ['change'], action: 'Image loaded' },
  8: { category: ['process'], type: ['change'], action: 'CreateRemoteThread detected' },
  9: { category: ['process'], type: ['access'], action: 'RawAccessRead detected' },
  10: { category: ['process'], type: ['access'], action: 'Process accessed' },
  11: { category: ['file'], type: ['creation'], action: 'File created' },
  12: { category: ['configuration', 'registry'], type: ['change'], action: 'Registry object added or deleted' },
  13: { category: ['configuration', 'registry'], type: ['change'], action: 'Registry value set' },
  14: { category: ['configuration', 'registry'], type: ['change'], action: 'Registry object renamed' },
  15: { category: ['file'], type: ['access'], action: 'File stream created' },
  16: { category: ['configuration'], type: ['change'], action: 'Sysmon config state changed' },
  17: { category: ['file'], type: ['creation'], action: 'Pipe Created' },
  18: { category: ['file'], type: ['access'], action: 'Pipe Connected' },
  19: { category: ['process'], type: ['change'], action: 'WmiEventFilter activity detected' },
  20: { category: ['process'], type: ['change'], action: 'WmiEventConsumer activity detected' },
  21: { category: ['process'], type: ['change'], action: 'WmiEventConsumerToFilter activity detected' },
  22: { category: ['network'], type: ['connection', 'protocol', 'info'], action: 'Dns query' },
  23: { category: ['file'], type: ['deletion'], action: 'File Delete archived' },
  24: { category: ['process'], type: ['change'], action: 'Clipboard changed' },
  25: { category: ['process'], type: ['change'], action: 'Process Tampering' },
  26: { category: ['file'], type: ['deletion'], action: 'File Delete logged' },
  27: { category: ['file'], type: ['creation'], action: 'File Block Executable' },
  28: { category: ['file'], type: ['deletion'], action: 'File Block Shredding' },
  29: { category: ['file'], type: ['creation'], action: 'File Executable Detected' },
};

const HIVES: Record<string, string> = {
  HKLM: 'HKLM',
  HKU: 'HKU',
  HKCR: 'HKCR',
  HKCU: 'HKCU',
  HKEY_LOCAL_MACHINE: 'HKLM',
  HKEY_USERS: 'HKU',
  HKEY_CLASSES_ROOT: 'HKCR',
  HKEY_CURRENT_USER: 'HKCU',
};

export function registryFields(targetObject: string, details?: unknown): Doc {
  const first = targetObject.indexOf('\\');
  const hive = HIVES[first > 0 ? targetObject.slice(0, first).toUpperCase() : ''];
  const key = first > 0 ? targetObject.slice(first + 1) : undefined;
  const value = basename(targetObject);
  const data = str(details);
  const reg: Doc = compact({ path: targetObject, hive, key, value: value || undefined });
  if (data !== undefined) {
    const m = /^DWORD \((0x[0-9a-fA-F]+)\)$/.exec(data);
    reg.data = m ? { strings: [String(parseInt(m[1], 16))], type: 'SZ_DWORD' } : { strings: [data] };
  }
  return reg;
}

function setProcess(doc: Doc, prefix: string, d: Record<string, unknown>, keys: {
  guid: string; pid: string; image: string; cmd?: string;
}): void {
  const image = str(d[keys.image]);
  setPath(doc, `${prefix}.entity_id`, normGuid(d[keys.guid]));
  setPath(doc, `${prefix}.pid`, long(d[keys.pid]));
  if (image && image !== '?' && image !== '<unknown process>') {
    setPath(doc, `${prefix}.executable`, image);
    setPath(doc, `${prefix}.name`, basename(image));
  }
  const cmd = keys.cmd ? str(d[keys.cmd]) : undefined;
  if (cmd && cmd !== '?') setCommandLine(doc, prefix, cmd);
}


/**
 * The data stream dataset Elastic's integrations write a channel's records to: Sysmon →
 * windows.sysmon_operational, Security → system.security, System → system.system,
 * Application → system.application, the two PowerShell channels → windows.powershell /
 * windows.powershell_operational, anything else → windows.forwarded.
 */
export function windowsDataset(channel: string | undefined, provider: string, isSysmon: boolean): string {
  if (isSysmon) return 'windows.sysmon_operational';
  const ch = (channel ?? '').toLowerCase();
  if (ch === 'security' || provider === SECURITY_PROVIDER) return 'system.security';
  if (ch === 'system') return 'system.system';
  if (ch === 'application') return 'system.application';
  if (ch === 'windows powershell') return 'windows.powershell';
  if (ch === 'microsoft-windows-powershell/operational') return 'windows.powershell_operational';
  return 'windows.forwarded';
}

export const SECURITY_PROVIDER = 'Microsoft-Windows-Security-Auditing';

/** One Windows event record → an ECS document (the native fields kept under winlog.event_data). */
export function mapWindowsRecord(r: WindowsRecord): Doc {
  const d = r.data;
  const provider = r.provider ?? '';
  const isSysmon = provider === SYSMON_PROVIDER || /sysmon/i.test(r.channel ?? '');
  const dataset = windowsDataset(r.channel, provider, isSysmon);
  const isSecurity = dataset === 'system.security';
  const doc: Doc = {};
  const ts = (isSysmon ? utcIso(d.UtcTime) : undefined) ?? r.time;
  if (ts) doc['@timestamp'] = ts;
  const kind = isSysmon ? SYSMON[r.eventId] : isSecurity ? SECURITY_EVENTS[r.eventId] : undefined;
  const outcome = kind && 'outcome' in kind ? (kind as { outcome?: string }).outcome : isSecurity ? auditOutcome(r.keywords) : undefined;
  doc.event = compact({
    kind: 'event',
    code: String(r.eventId),
    provider: provider || undefined,
    module: isSysmon ? 'sysmon' : provider === SECURITY_PROVIDER ? 'security' : undefined,
    dataset,
    category: kind?.category,
    type: kind?.type,
    action: kind?.action,
    outcome,
  });
  doc.host = compact({ name: r.host, hostname: r.host, os: { ...WINDOWS_OS } });
  const eventData: Doc = {};
  for (const [k, v] of Object.entries(d)) if (v !== null && v !== undefined) eventData[k] = v;
  doc.winlog = compact({
    channel: r.channel,
    computer_name: r.host,
    event_id: String(r.eventId),
    provider_name: provider || undefined,
    record_id: r.recordId !== undefined ? String(r.recordId) : undefined,
    event_data: eventData,
    user: r.userSid ? { identifier: r.userSid } : undefined,
  });
  if (isSysmon) mapSysmonData(doc, r.eventId, d);
  else mapSecurityData(doc, r.eventId, d);
  // The sysmon pipeline copies the record writer's SID (winlog.user.identifier) into user.id:
  // for Sysmon that is always S-1-5-18, the Sysmon service, not the actor (datasets README
  // §3.2). Guidepost keeps it in winlog.user.identifier only; user.id stays unset (EXPECTED.md
  // lists the detections this keeps that Elastic's rules lose to it).
  return doc;
}

function mapSysmonData(doc: Doc, id: number, d: Record<string, unknown>): void {
  if (str(d.RuleName)) setPath(doc, 'rule.name', str(d.RuleName));
  if (id === 8 || id === 10) {
    const guidKey = 'SourceProcessGUID' in d ? 'SourceProcessGUID' : 'SourceProcessGuid';
    setProcess(doc, 'process', d, { guid: guidKey, pid: 'SourceProcessId', image: 'SourceImage' });
    const tgt = 'TargetProcessGUID' in d ? 'TargetProcessGUID' : 'TargetProcessGuid';
    setProcess(doc, 'Target.process', d, { guid: tgt, pid: 'TargetProcessId', image: 'TargetImage' });
  } else {
    setProcess(doc, 'process', d, { guid: 'ProcessGuid', pid: 'ProcessId', image: 'Image', cmd: 'CommandLine' });
  }
  if (id === 1) {
    setProcess(doc, 'process.parent', d, {
      guid: 'ParentProcessGuid', pid: 'ParentProcessId', image: 'ParentImage', cmd: 'ParentCommandLine',
    });
    setPath(doc, 'process.working_directory', str(d.CurrentDirectory));
  }
  // the PE version resource: the loaded image's for image loads (7), the process's otherwise
  const pe = id === 7 ? 'file.pe' : 'process.pe';
  setPath(doc, `${pe}.original_file_name`, str(d.OriginalFileName));
  setPath(doc, `${pe}.company`, str(d.Company));
  setPath(doc, `${pe}.description`, str(d.Description));
  setPath(doc, `${pe}.file_version`, str(d.FileVersion));
  setPath(doc, `${pe}.product`, str(d.Product));
  const u = splitUser(d.User);
  if (u.name) setPath(doc, 'user.name', u.name);
  if (u.domain) setPath(doc, 'user.domain', u.domain);
  const hashes = str(d.Hashes) ?? str(d.Hash);
  if (hashes) {
    for (const part of hashes.split(',')) {
      const [alg, val] = part.split('=');
      // as the sysmon pipeline: the process's hashes on 1, 23, 24, 25; the file's on 6, 7, 15, 26, 29
      const owner = [1, 23, 24, 25].includes(id) ? 'process' : [6, 7, 15, 26, 29].includes(id) ? 'file' : undefined;
      if (owner && alg && val) setPath(doc, `${owner}.hash.${alg.trim().toLowerCase()}`, val.trim().toLowerCase());
    }
  }
  switch (id) {
    case 2: case 11: case 15: case 23: case 26: case 27: case 28: case 29: {
      const p = str(d.TargetFilename);
      if (p) doc.file = { ...(doc.file as Doc | undefined), ...fileFields(p) };
      break;
    }
    case 6: case 7: {
      const p = str(d.ImageLoaded);
      if (p) doc.file = { ...(doc.file as Doc | undefined), ...fileFields(p) };
      // the loaded image's signature, as the sysmon pipeline writes it
      setPath(doc, 'file.code_signature.subject_name', str(d.Signature));
      setPath(doc, 'file.code_signature.status', str(d.SignatureStatus));
      if (str(d.Signed)?.toLowerCase() === 'true') setPath(doc, 'file.code_signature.signed', true);
      if (str(d.SignatureStatus) === 'Valid') setPath(doc, 'file.code_signature.valid', true);
      break;
    }
    case 17: case 18: {
      const p = str(d.PipeName);
      if (p) doc.file = { name: p, path: p };
      break;
    }
    case 12: case 13: case 14: {
      const p = str(d.TargetObject);
      if (p) doc.registry = registryFields(p, d.Details);
      break;
    }
    case 3: {
      doc.source = compact({ ip: str(d.SourceIp), port: int(d.SourcePort), domain: str(d.SourceHostname) });
      doc.destination = compact({
        ip: str(d.DestinationIp), port: int(d.DestinationPort), domain: str(d.DestinationHostname),
      });
      // "true"/"false" in Sysmon's XML, "True"/"False" in some renderings: compare without case
      const initiated = str(d.Initiated)?.toLowerCase();
      doc.network = compact({
        transport: str(d.Protocol),
        direction: initiated === 'true' ? 'egress' : initiated === 'false' ? 'ingress' : undefined,
        type: str(d.SourceIsIpv6) === 'true' ? 'ipv6' : str(d.SourceIsIpv6) === 'false' ? 'ipv4' : undefined,
      });
      break;
    }
    case 22: {
      const q = str(d.QueryName);
      if (q) doc.dns = { question: { name: q } };
      setPath(doc, 'network.protocol', 'dns');
      break;
    }
  }
}
