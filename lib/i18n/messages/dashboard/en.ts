/** The dashboard's texts, in English (ICU MessageFormat; spread into ../en.ts). */
export const en = {
  'dash2.alertTime': 'Alert time (UTC)',
  'dash2.subject': 'User · process · file',
  'dash2.sameHost': '{n, plural, one {# other open investigation on this host} other {# other open investigations on this host}}',
  'dash2.assignTo': 'Assign to',
  'dash2.assignLabel': 'Assignee of {rule} on {host}, {time}',
  'dash2.assign': 'Assign',
  'dash2.assignButton': 'Assign {rule} on {host}, {time}',
  'dash2.assigned': '{rule} on {host} assigned to {name}.',
  'dash2.unassigned': '{rule} on {host} is unassigned now.',
  'dash2.assignFailed': 'Could not assign {rule} on {host}: {message}',
  'dash2.nobody': '— nobody —',
  'dash2.free': 'free',
  'dash2.freeCount': '{n, plural, =0 {Everyone has alerts.} one {# analyst has no alert.} other {# analysts have no alert.}}',
  'dash2.updated': 'Updated {time} (every 5 seconds)',
} as const;
