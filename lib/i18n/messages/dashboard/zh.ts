/** The dashboard's texts, in Simplified Chinese (ICU MessageFormat; spread into ../zh.ts). */
import type { en } from './en';

export const zh: Record<keyof typeof en, string> = {
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
