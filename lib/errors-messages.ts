/**
 * The API's error codes (lib/errors) and the client's own (lib/queries/fetch-json) as the user
 * reads them, English and Simplified Chinese: flat keys `error.<code>`, ICU placeholders.
 * Spread into lib/i18n's dictionaries; lib/queries/error-text words an error with them.
 */
export const errorMessagesEn = {
  'error.invalid_request': 'Not accepted',
  'error.unauthorized': 'Your session has ended; sign in again.',
  'error.forbidden': 'Not allowed',
  'error.not_found': 'Not found',
  'error.conflict': 'Changed by someone else since you loaded it; reload and try again.',
  'error.payload_too_large': 'Too large',
  'error.unsupported_media_type': 'Sent in a form the server does not take',
  'error.rate_limited': 'Too many attempts; wait a moment and try again.',
  'error.internal': 'Something went wrong on the server; its log has the details.',
  'error.upstream_unavailable': 'The event source did not answer',
  'error.not_available': 'Not available in this build',
  'error.store_busy': 'The event store is busy; try again in a moment',
  'error.network': 'The server did not answer.',
  'error.bad_response': 'The server answered in a way this page does not understand.',
  'error.http_error': 'The server refused the request (HTTP {status}).',
  'error.where.field': 'field {field}',
  'error.where.line': 'line {line}',
  'error.where.lineColumn': 'line {line}, column {column}',
  'error.at': '{text} ({where})',
  'error.because': '{text}: {message}',
};

export const errorMessagesZh: Record<keyof typeof errorMessagesEn, string> = {
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
