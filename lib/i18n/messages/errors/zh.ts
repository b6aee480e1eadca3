/** The API errors, worded by code, in Simplified Chinese (ICU MessageFormat; spread into ../zh.ts). */
import type { en } from './en';

export const zh: Record<keyof typeof en, string> = {
  'error.invalid_request': '请求未被接受',
  'error.unauthorized': '登录已失效，请重新登录。',
  'error.forbidden': '无权执行此操作',
  'error.not_found': '未找到',
  'error.conflict': '此内容在你加载后已被他人修改，请刷新后重试。',
  'error.payload_too_large': '内容过大',
  'error.unsupported_media_type': '服务器不接受此格式',
  'error.rate_limited': '尝试次数过多，请稍候再试。',
  'error.internal': '服务器出错，详情见服务器日志。',
  'error.upstream_unavailable': '事件源未响应',
  'error.not_available': '此版本不提供该功能',
  'error.store_busy': '事件存储正忙，请稍后重试',
  'error.network': '服务器无响应。',
  'error.bad_response': '服务器的响应无法被此页面识别。',
  'error.http_error': '服务器拒绝了请求（HTTP {status}）。',
  'error.where.field': '字段 {field}',
  'error.where.line': '第 {line} 行',
  'error.where.lineColumn': '第 {line} 行第 {column} 列',
  'error.at': '{text}（{where}）',
  'error.because': '{text}：{message}',
};
