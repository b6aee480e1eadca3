/**
 * The dashboard's newer texts (assigning from it, telling investigations apart, free analysts)
 * and the small-screen / print texts of issue 17, English and Simplified Chinese (spread into
 * lib/i18n's dictionaries, so `t('dash2.…')` works everywhere and the i18n tests check both).
 */
export const dashboardMessagesEn = {
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

export const dashboardMessagesZh: Record<keyof typeof dashboardMessagesEn, string> = {
  'dash2.alertTime': '告警时间（UTC）',
  'dash2.subject': '用户 · 进程 · 文件',
  'dash2.sameHost': '{n, plural, other {此主机上另有 # 个进行中的调查}}',
  'dash2.assignTo': '分配给',
  'dash2.assignLabel': '{host} 上 {rule}（{time}）的负责人',
  'dash2.assign': '分配',
  'dash2.assignButton': '分配 {host} 上的 {rule}（{time}）',
  'dash2.assigned': '{host} 上的 {rule} 已分配给 {name}。',
  'dash2.unassigned': '{host} 上的 {rule} 现已无人负责。',
  'dash2.assignFailed': '无法分配 {host} 上的 {rule}：{message}',
  'dash2.nobody': '— 无人 —',
  'dash2.free': '空闲',
  'dash2.freeCount': '{n, plural, =0 {每个人都有告警。} other {# 名分析员没有告警。}}',
  'dash2.updated': '更新于 {time}（每 5 秒）',
};
