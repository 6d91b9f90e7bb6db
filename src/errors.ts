// Typed application errors. A code is stable (clients and tests match on it); the table below
// is the one place that gives each code its HTTP status and its zh-CN / en-US message.

export type Locale = 'zh-CN' | 'en-US';

interface ErrorSpec {
  status: number;
  zh: string;
  en: string;
}

/** Messages may hold {name} placeholders filled from the error's params. */
export const ERROR_CODES = {
  'validation.failed': { status: 400, zh: '请求参数有误，请检查标出的字段', en: 'The request is invalid; check the fields listed' },
  'validation.invalid_json': { status: 400, zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  'validation.body_too_large': { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  'validation.unsupported_media_type': { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  'auth.unauthenticated': { status: 401, zh: '请先登录', en: 'Please sign in' },
  'auth.invalid_credentials': { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  'auth.totp_required': { status: 401, zh: '请输入动态口令', en: 'Enter your one-time code' },
  'auth.totp_invalid': { status: 401, zh: '动态口令错误或已使用', en: 'The one-time code is wrong or already used' },
  'auth.locked': { status: 423, zh: '账户已锁定，请于 {until} 后重试', en: 'The account is locked until {until}' },
  'auth.forbidden': { status: 403, zh: '无权执行此操作', en: 'You are not allowed to do this' },
  'auth.csrf': { status: 403, zh: '安全校验失败，请刷新页面后重试', en: 'Security check failed; reload the page and try again' },
  'auth.password_policy': {
    status: 400,
    zh: '密码不符合要求：至少 12 位，包含大写字母、小写字母、数字、符号中的三类，且不得包含用户名',
    en: 'The password must have at least 12 characters from three of: lower case, upper case, digits, symbols, and must not contain the username',
  },
  'resource.not_found': { status: 404, zh: '记录不存在或无权查看', en: 'Not found' },
  'conflict.stale': { status: 412, zh: '记录已被他人修改，请刷新后重试', en: 'The record was changed by someone else; reload and try again' },
  'conflict.precondition_required': { status: 428, zh: '修改请求必须携带 If-Match 版本号', en: 'An If-Match header with the record version is required' },
  'conflict.duplicate': { status: 409, zh: '{field} 已存在', en: '{field} already exists' },
  'org.cycle': { status: 409, zh: '上级机构不能是本机构或其下级机构', en: 'An organization cannot be placed under itself or its descendants' },
  'session.current': { status: 409, zh: '不能强制下线当前会话，请使用退出登录', en: 'Use sign-out to end your own session' },
  rate_limited: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  service_unavailable: { status: 503, zh: '服务暂时不可用，请稍后重试', en: 'The service is temporarily unavailable' },
  internal: { status: 500, zh: '系统内部错误，请联系管理员', en: 'Internal error; contact the administrator' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A problem with one input field; `code` is stable, `message` is already localized. */
export interface FieldProblem {
  path: string;
  code: string;
  message: string;
}

/** Field-level message catalog, shared by validation of every resource. */
export const FIELD_MESSAGES = {
  required: { zh: '必填', en: 'is required' },
  invalid_type: { zh: '类型不正确', en: 'has the wrong type' },
  too_small: { zh: '长度或数值过小', en: 'is too short or too small' },
  too_big: { zh: '长度或数值过大', en: 'is too long or too large' },
  invalid_format: { zh: '格式不正确', en: 'has an invalid format' },
  invalid_value: { zh: '取值不在允许范围内', en: 'is not one of the allowed values' },
  unrecognized_key: { zh: '不允许的字段', en: 'is not a known field' },
  invalid_credit_code: { zh: '统一社会信用代码无效（GB 32100 校验位不符）', en: 'is not a valid unified social credit code (GB 32100 check character)' },
  invalid_division_code: { zh: '行政区划代码应为 6 位数字（GB/T 2260）', en: 'must be a six-digit division code (GB/T 2260)' },
  unknown_reference: { zh: '引用的记录不存在', en: 'refers to a record that does not exist' },
  duplicate: { zh: '已存在', en: 'already exists' },
  password_policy: { zh: '密码不符合要求', en: 'does not meet the password policy' },
  invalid: { zh: '无效', en: 'is invalid' },
} as const;

export type FieldCode = keyof typeof FIELD_MESSAGES;

export function fieldMessage(code: string, locale: Locale): string {
  const m = (FIELD_MESSAGES as Record<string, { zh: string; en: string }>)[code] ?? FIELD_MESSAGES.invalid;
  return locale === 'zh-CN' ? m.zh : m.en;
}

/** An expected failure with a stable code; never a stack trace for the user. */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly params: Record<string, string | number>;
  readonly fields: ReadonlyArray<{ path: string; code: FieldCode | string }>;
  constructor(
    code: ErrorCode,
    options: { params?: Record<string, string | number>; fields?: ReadonlyArray<{ path: string; code: FieldCode | string }>; message?: string } = {},
  ) {
    super(options.message ?? code);
    this.code = code;
    this.params = options.params ?? {};
    this.fields = options.fields ?? [];
  }
  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function errorMessage(code: ErrorCode, locale: Locale, params: Record<string, string | number> = {}): string {
  const spec = ERROR_CODES[code];
  const text = locale === 'zh-CN' ? spec.zh : spec.en;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

/** zh-CN unless the client prefers English. */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en-US' : 'zh-CN';
}
