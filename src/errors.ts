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
  'lifecycle.blocked': { status: 422, zh: '不满足办理条件，共 {count} 项问题', en: '{count} problem(s) stand in the way' },
  'lifecycle.conflict': { status: 409, zh: '项目状态已变化（当前：{state}），该操作不再可用，请刷新后重试', en: 'The project has moved on (now: {state}); reload and try again' },
  'construction.not_started': { status: 409, zh: '项目尚未批复（备案），不能办理建设事项（当前：{state}）', en: 'The project is not approved or filed yet (now: {state}); construction cannot be recorded' },
  'construction.suspended': { status: 409, zh: '项目已于 {since} 被责令暂停建设（第二十一条），解除暂停前不能办理建设事项', en: 'The project was suspended on {since} (Article 21); no construction action until the suspension is lifted' },
  'construction.completed': { status: 409, zh: '项目已于 {completedOn} 竣工（第二十二条），建设记录已关闭', en: 'The project was completed on {completedOn} (Article 22); construction records are closed' },
  'idempotency.mismatch': { status: 422, zh: '同一幂等键已用于不同的请求', en: 'This Idempotency-Key was used for a different request' },
  'conflict.concurrent': { status: 409, zh: '与其他操作同时修改了相同数据，请重试', en: 'Another change to the same data happened at the same moment; try again' },
  'org.cycle': { status: 409, zh: '上级机构不能是本机构或其下级机构', en: 'An organization cannot be placed under itself or its descendants' },
  'plan.not_draft': { status: 409, zh: '已批准的规划不能直接修改，请通过规划调整（附评估论证）进行变更', en: 'An approved plan cannot be edited directly; record an adjustment with its evaluation' },
  'plan.not_approved': { status: 409, zh: '规划尚未批准，只有已批准的规划才能调整', en: 'Only an approved plan can be adjusted' },
  'plan.no_tasks': { status: 409, zh: '规划至少应有一项任务才能批准', en: 'A plan needs at least one task before it can be approved' },
  'plan.link_required': { status: 400, zh: '部门规划应当与已批准的国家政务信息化建设规划衔接', en: 'A department plan must link to an approved national plan' },
  'plan.task_link_invalid': { status: 400, zh: '部门规划任务只能衔接所衔接国家规划中的现行任务；国家规划任务不衔接其他任务', en: 'A department plan task may only link to a current task of the national plan its plan links to; a national task links to none' },
  'plan.approval_document_required': { status: 400, zh: '国家政务信息化建设规划及其调整须报国务院批准，请填写批准文号', en: 'The national plan and its adjustments are approved by the State Council: enter the approval document number' },
  'plan.evaluation_required': { status: 400, zh: '规划调整须附对内外部发展环境变化的评估论证', en: 'An adjustment needs an evaluation of the changed circumstances' },
  'plan.adjustment_empty': { status: 400, zh: '规划调整未包含任何变更', en: 'The adjustment changes nothing' },
  'assignment.not_open': { status: 409, zh: '项目当前状态（{state}）不能委托咨询评估', en: 'An assessor cannot be entrusted in the project’s current state ({state})' },
  'lifecycle.not_assignee': { status: 403, zh: '该项目已指定其他{role}办理', en: 'Another {role} has been assigned to this project' },
  'project.not_editable': { status: 409, zh: '项目当前状态（{state}）不允许修改', en: 'The project cannot be edited in its current state ({state})' },
  'framework.blocked': { status: 422, zh: '框架方案不满足办理条件，共 {count} 项问题', en: '{count} problem(s) stand in the way of the framework plan' },
  'framework.conflict': { status: 409, zh: '框架方案状态已变化（当前：{state}），该操作不再可用，请刷新后重试', en: 'The framework plan has moved on (now: {state}); reload and try again' },
  'framework.not_editable': { status: 409, zh: '框架方案当前状态（{state}）不允许修改', en: 'The framework plan cannot be edited in its current state ({state})' },
  'framework.has_history': { status: 409, zh: '框架方案已报送过国家发展改革委，不能删除', en: 'The framework plan has been submitted before and cannot be deleted' },
  'framework.participant_referenced': { status: 409, zh: '该参与部门仍出现在业务流、数据流或初步数据目录中，请先修改相关记录', en: 'The participant still appears in a business flow, data flow or catalog entry; change those first' },
  'framework.not_confirmed': { status: 409, zh: '框架方案经国家发展改革委确定后，各部门方可关联本部门分项', en: 'Projects link to a framework plan only after NDRC has confirmed it' },
  'material.type_unsupported': {
    status: 415, zh: '不支持的文件类型，仅可上传 PDF、OFD、DOCX、XLSX、ZIP、PNG、JPEG 文件',
    en: 'Unsupported file type; upload PDF, OFD, DOCX, XLSX, ZIP, PNG or JPEG files only',
  },
  'material.type_mismatch': {
    status: 415, zh: '文件内容为 {detected}，与声明的类型（{claimed}）不符，已拒绝',
    en: 'The file content is {detected}, which does not match its claimed type ({claimed}); refused',
  },
  'material.stage_not_current': { status: 409, zh: '只能上传项目当前阶段（{stage}）的材料', en: 'Materials can only be uploaded for the project’s current stage ({stage})' },
  'material.file_missing': { status: 404, zh: '材料文件在存储中缺失，请联系管理员', en: 'The material’s file is missing from the file store; contact the administrator' },
  'import.not_xlsx': { status: 415, zh: '只能导入 Excel 工作簿（.xlsx）文件，请使用下载的导入模板', en: 'Only Excel workbooks (.xlsx) can be imported; use the downloadable template' },
  'system.not_isolated': { status: 409, zh: '该系统不在孤网上，无需孤网例外决定', en: 'The system is not on an isolated network; no exception is needed' },
  'system.exception_exists': { status: 409, zh: '该系统已有有效的孤网例外决定', en: 'The system already has a standing isolated-network exception' },
  'system.no_exception': { status: 409, zh: '该系统没有有效的孤网例外决定可撤销', en: 'The system has no standing isolated-network exception to revoke' },
  'system.has_decisions': { status: 409, zh: '该系统已有孤网例外决定记录，不能删除；如已停用，请将状态改为“下线”', en: 'The system has recorded exception decisions and cannot be removed; set its status to retired instead' },
  // 双随机、一公开 spot checks (SPEC §9, 第三十条).
  'spotcheck.pools_insufficient': { status: 422, zh: '抽查对象库或检查人员库不满足抽取规则：{detail}', en: 'The pools cannot satisfy the draw rules: {detail}' },
  'spotcheck.already_drawn': { status: 409, zh: '该抽查已于 {drawnAt} 抽取，每次抽查只抽取一次', en: 'This spot check was drawn at {drawnAt}; a spot check is drawn once' },
  'opendata.bad_cursor': { status: 400, zh: '翻页游标无效（请使用上一页返回的 next 链接，且不要同时使用 page）', en: 'The paging cursor is invalid (follow the next link of the previous page, and do not combine it with page)' },
  'spotcheck.not_drawn': { status: 409, zh: '该抽查尚未抽取，不能登记或公开检查结果', en: 'This spot check has not been drawn yet' },
  'spotcheck.concluded': { status: 409, zh: '该抽查的检查结果已公开，不能再修改', en: 'The results of this spot check are published and can no longer change' },
  'spotcheck.outcomes_incomplete': { status: 422, zh: '还有 {missing} 项检查结果未登记，不能公开', en: '{missing} outcome(s) are not recorded yet; cannot publish' },
  // 第十三条, 第十九条–第二十二条: construction records, annual reports, major problems, completion.
  'construction.blocked': { status: 422, zh: '不满足办理条件，共 {count} 项问题', en: '{count} problem(s) stand in the way' },
  'construction.supervisor_required': { status: 422, zh: '尚未登记监理单位，项目不能申报建成（第十九条）', en: 'No supervision company (监理单位) is recorded; the project cannot be declared complete (Article 19)' },
  'construction.report_exists': { status: 409, zh: '{year} 年度绩效评估报告已提交，不能重复提交', en: 'The {year} annual performance report has already been submitted' },
  'construction.order_closed': { status: 409, zh: '该决定已办结（{state}），不能再次办理', en: 'This order is already closed ({state})' },
  // 第二十五条–第二十七条: acceptance and post-evaluation.
  'acceptance.blocked': { status: 422, zh: '不满足办理条件，共 {count} 项问题', en: '{count} problem(s) stand in the way' },
  'acceptance.not_open': { status: 409, zh: '项目尚未建成，验收事项尚未开始（第二十五条）', en: 'The project is not completed; acceptance has not opened (Article 25)' },
  'acceptance.already_accepted': { status: 409, zh: '项目已于 {acceptedOn} 通过验收', en: 'The project passed acceptance on {acceptedOn}' },
  'acceptance.not_accepted': { status: 409, zh: '项目尚未通过验收并投入运行（第二十五条、第二十七条）', en: 'The project has not passed acceptance and gone into operation (Articles 25, 27)' },
  'acceptance.extension_decided': { status: 409, zh: '该延期验收申请已作出决定', en: 'This extension request has already been decided' },
  'selfEvaluation.report_missing': { status: 422, zh: '请先上传自评价报告（尚无未报送的自评价报告）', en: 'Upload the self-evaluation report first (there is none not yet submitted)' },
  'selfEvaluation.refused': { status: 422, zh: '自评价窗口尚未开启，{opensOn} 起方可报送（第二十七条）', en: 'The self-evaluation window opens on {opensOn} (Article 27)' },
  'postEvaluation.not_commissioned': { status: 409, zh: '该项目没有委托贵单位且尚未完成的后评价', en: 'No open post-evaluation of this project is commissioned to your organization' },
  'session.current': { status: 409, zh: '不能强制下线当前会话，请使用退出登录', en: 'Use sign-out to end your own session' },
  rate_limited: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  service_unavailable: { status: 503, zh: '服务暂时不可用，请稍后重试', en: 'The service is temporarily unavailable' },
  // 第二十八条 duplicate detection through the shared similarity service (docs/deploy.md): the check
  // could not run; nothing was decided.
  'similarity.unavailable': { status: 503, zh: '重复建设比对服务暂时不可用，请稍后重试', en: 'The duplicate-construction check is temporarily unavailable; try again later' },
  'similarity.unauthorized': { status: 401, zh: '相似度服务请求未通过认证（各进程须配置同一 GOVPROJ_MASTER_KEY）', en: 'The similarity service request is not authenticated (every process must share GOVPROJ_MASTER_KEY)' },
  internal: { status: 500, zh: '系统内部错误，请联系管理员', en: 'Internal error; contact the administrator' },
  // 第二十二条–第二十四条: investment, spending, early investment and adjustments.
  'investment.blocked': { status: 422, zh: '不满足投资下达或支出条件，共 {count} 项问题', en: '{count} problem(s) stand in the way of this investment record' },
  'earlyInvestment.not_pending': { status: 409, zh: '该提前安排投资申请已经决定（{status}），不能再次决定', en: 'The early-investment application was already decided ({status})' },
  'adjustment.invalid': { status: 422, zh: '调整不能登记，共 {count} 项问题', en: '{count} problem(s) stand in the way of recording this adjustment' },
  'adjustment.not_pending': { status: 409, zh: '该调整不在待重新报批状态（当前：{status}），不能决定', en: 'The adjustment is not waiting for re-approval (now: {status})' },
  // 安全与资源记录, 共享问题认定, 运维经费资格 (第十四条–第十七条, 第二十八条)
  'eligibility.rebuild_blocked': {
    status: 422, zh: '该系统不得改建、扩建（第二十八条），共 {count} 项原因', en: 'The system may not be rebuilt or expanded (Article 28): {count} reason(s)',
  },
  'security.already_resolved': { status: 409, zh: '该记录已整改销号', en: 'This record is already resolved' },
  'system.has_records': { status: 409, zh: '该系统已有安全与资源记录或共享问题认定，不能删除；如已停用，请将状态改为“下线”', en: 'The system has security records or sharing findings and cannot be removed; set its status to retired instead' },
  'security.not_a_hazard': { status: 409, zh: '只有重大安全隐患需要整改销号', en: 'Only a major security hazard is resolved' },
  // 第三十条 监督检查、整改与升级; 第三十三条 责任追究 (src/usecases/supervision.ts)
  'supervision.outside_remit': { status: 403, zh: '该事项不在本部门监督职责范围内（第三十条：按照职责分工实施监督管理）：{reason}', en: 'This is outside your remit (Article 30: supervision by division of duties): {reason}' },
  'rectification.not_answerable': { status: 409, zh: '整改通知当前状态（{status}）不能报告整改情况', en: 'The rectification order cannot be answered now (status: {status})' },
  'rectification.not_verifiable': { status: 409, zh: '整改通知当前状态（{status}）不能核查', en: 'The rectification order cannot be verified now (status: {status})' },
  'rectification.evidence_not_found': { status: 422, zh: '佐证材料 {materialId} 不属于该项目', en: 'Evidence {materialId} is not a material of this project' },
  'escalation.not_due': { status: 409, zh: '整改期限 {dueOn} 未过且未核查不合格，不能升级（第三十条：逾期整改或者整改后仍不达标的）', en: 'The deadline {dueOn} has not passed and no verification failed; escalation is not due (Article 30)' },
  // 第二十九条 资料调阅 (src/usecases/document-requests.ts)
  'document_request.not_answerable': { status: 409, zh: '资料调阅当前状态（{status}）不能答复', en: 'The document request cannot be answered now (status: {status})' },
  'document_request.not_reviewable': { status: 409, zh: '资料调阅当前状态（{status}）不能确认或退回', en: 'The document request cannot be accepted or returned now (status: {status})' },
  'document_request.not_requester': { status: 403, zh: '只有发出资料调阅的部门可以确认或退回答复', en: 'Only the requesting body accepts or returns an answer' },
  'document_request.answer_empty': { status: 422, zh: '答复须附资料文件，或说明所调阅的某项资料不存在及其原因（第二十九条：如实提供有关资料）', en: 'An answer attaches files, or states which requested item does not exist and why (Article 29)' },
  'document_request.item_unknown': { status: 422, zh: '调阅事项第 {item} 项不存在', en: 'Item {item} is not an item of the request' },
  'document_request.item_twice': { status: 422, zh: '调阅事项第 {item} 项重复说明', en: 'Item {item} is stated twice' },
  'document_request.reason_required': { status: 422, zh: '调阅事项第 {item} 项说明不存在时须写明原因', en: 'Item {item} is stated as not existing without a reason' },
  'document_request.file_not_found': { status: 422, zh: '资料文件 {fileId} 不属于该资料调阅', en: 'File {fileId} was not uploaded to this request' },
  'document_request.file_used': { status: 409, zh: '资料文件 {fileId} 已随此前的答复提交', en: 'File {fileId} was submitted with an earlier answer' },
  'document_request.finding_not_allowed': { status: 409, zh: '只有逾期未答复或答复被退回的资料调阅可以转为监督检查发现（第三十条），且每项只能一次', en: 'A finding is opened only from an overdue request or a returned answer, once per request (Article 30)' },
  'escalation.step_taken': { status: 409, zh: '已对该整改事项采取“{step}”，不能重复采取', en: '“{step}” was already taken on this rectification; it is not taken twice' },
  'escalation.step_skipped': { status: 422, zh: '不能跳过升级步骤：应先采取“{expected}”，再采取“{step}”（第三十条）', en: 'Steps are not skipped: “{expected}” comes before “{step}” (Article 30)' },
  'escalation.not_in_ladder': { status: 422, zh: '“{step}”不在现行升级步骤（{ladder}）中', en: '“{step}” is not a step of the ladder in force ({ladder})' },
  'escalation.needs_project': { status: 422, zh: '“{step}”须针对项目，针对政务信息系统的整改只能通报批评', en: '“{step}” acts on a project; a rectification against a system can only be criticised' },
  'escalation.ladder_complete': { status: 409, zh: '升级步骤已全部采取，不能再采取“{step}”', en: 'Every step of the ladder was taken; “{step}” cannot follow' },
  'escalation.project_terminated': { status: 409, zh: '项目已终止（第三十条），不能再作升级决定', en: 'The project is terminated (Article 30); no further escalation' },
  'escalation.not_liftable': { status: 422, zh: '“{step}”不能解除（只有暂缓安排投资计划、暂停项目建设可以解除）', en: '“{step}” cannot be lifted (only deferral of investment and suspension of construction can)' },
  'escalation.not_standing': { status: 409, zh: '该整改事项的“{step}”未在执行，无需解除', en: '“{step}” is not standing on this rectification' },
  'escalation.not_rectified': { status: 409, zh: '整改尚未核查通过，不能解除（第三十条）', en: 'The rectification has not been verified as passed; nothing is lifted (Article 30)' },
  'investment.deferred': { status: 409, zh: '项目已于 {since} 被决定暂缓安排投资计划（第三十条，整改逾期或不达标），解除前不能下达投资', en: 'Investment plans for the project were deferred on {since} (Article 30, rectification overdue or failed); no release until lifted' },
  'construction.suspended_supervision': { status: 409, zh: '项目已于 {since} 被决定暂停项目建设（第三十条，整改逾期或不达标），解除前不能办理建设事项', en: 'Construction of the project was suspended on {since} (Article 30, rectification overdue or failed); no construction action until lifted' },
  'document.pdf_unavailable': { status: 503, zh: '服务器未安装中文字体，暂不能生成 PDF（请安装 fonts-wqy-microhei 或设置 GOVPROJ_PDF_FONT），可下载 .docx', en: 'No Chinese font is installed for PDF (install fonts-wqy-microhei or set GOVPROJ_PDF_FONT); download the .docx instead' },
  'project.terminated': { status: 409, zh: '项目已于 {since} 被决定终止（第三十条），不能再办理任何事项', en: 'The project was terminated on {since} (Article 30); nothing more can be done on it' },
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
  not_in_future: { zh: '不能晚于今天', en: 'must not be in the future' },
  invalid: { zh: '无效', en: 'is invalid' },
  'project.end_before_start': { zh: '建设期结束日期不能早于开始日期', en: 'must not be before the construction start' },
  'project.protection_scheme': { zh: '涉密项目应采用分级保护，非涉密项目应采用等级保护', en: 'must be 分级保护 for a classified project and 等级保护 otherwise' },
  'project.mlps_level': { zh: '等级保护项目须填写 1–5 级，分级保护项目不填', en: 'is required (1–5) for 等级保护 and not allowed for 分级保护' },
  'project.lead_in_participants': { zh: '牵头部门不应同时列为参与部门', en: 'must not include the lead department' },
  'project.duplicate_year': { zh: '同一年度的目标值只能填写一次', en: 'has the same year twice' },
  'project.track_fixed': { zh: '项目创建后不能改变管理方式（审批/备案）', en: 'cannot change after the project is created' },
  'project.plan_task_not_national': { zh: '只能关联已批准的国家政务信息化建设规划的现行任务', en: 'must be a current task of the approved national plan' },
  'project.amount_places': { zh: '金额以万元为单位，最多两位小数', en: 'is in 万元 with at most two decimals' },
  'resource.code_format': { zh: '信息资源代码格式应为“类-项-目[-细目…]/顺序码”，如 1-05-001/000001', en: 'must be written 类-项-目[-细目…]/顺序码, e.g. 1-05-001/000001' },
  'resource.code_classification': { zh: '信息资源代码的分类码与资源分类不一致（类：1 基础、2 主题、3 部门；基础资源的项：01 人口、02 法人、03 自然资源和空间地理、04 社会信用、05 电子证照）', en: 'has a classification part that does not match the classification (类 1 base, 2 theme, 3 department; base 项 01–05)' },
  'resource.base_category': { zh: '基础信息资源须选择基础资源类别，主题、部门信息资源不填', en: 'is required for a base resource and not allowed otherwise' },
  'resource.sharing_basis_required': { zh: '有条件共享、不予共享须填写共享条件或依据', en: 'is required for conditional sharing and for no sharing' },
  'resource.open_basis_required': { zh: '有条件开放须填写开放条件和依据，不予开放须填写依据', en: 'is required for conditional opening and for no opening' },
  'resource.basis_not_applicable': { zh: '无条件共享（开放）不填写条件或依据', en: 'is not used for unconditional sharing or opening' },
  'resource.secret_open': { zh: '涉密信息资源只能为不予开放', en: 'must be “not open” for a classified resource' },
  'resource.data_items_required': { zh: '至少登记一个信息项', en: 'needs at least one data item' },
  'resource.duplicate_data_item': { zh: '信息项名称重复', en: 'names a data item twice' },
  'system.protection_scheme': { zh: '涉密系统应采用分级保护，非涉密系统应采用等级保护', en: 'must be 分级保护 for a classified system and 等级保护 otherwise' },
  'system.mlps_level': { zh: '等级保护系统须填写 1–5 级，分级保护系统不填', en: 'is required (1–5) for 等级保护 and not allowed for 分级保护' },
  'system.filing_number_format': { zh: '等保备案编号应为 11 位数字，或 11 位数字加“-”和 5 位数字（如 11010843001-20001）', en: 'must be 11 digits, optionally followed by “-” and 5 digits (e.g. 11010843001-20001)' },
  'system.filing_number_required': { zh: '运行中的第二级及以上系统须填写公安机关出具的等保备案编号', en: 'is required for a system of level 2 or higher in operation' },
  'system.filing_number_not_applicable': { zh: '第一级系统和分级保护系统不向公安机关备案，不填写等保备案编号', en: 'is not used for a level 1 system or a classified (分级保护) system' },
  'system.secret_network': { zh: '涉密系统只能部署在电子政务内网或孤网，不得接入互联网或电子政务外网', en: 'must be the e-government intranet or an isolated network for a classified system' },
  'system.duplicate_project': { zh: '同一项目只能关联一次', en: 'lists the same project twice' },
  'system.several_new_projects': { zh: '一个系统只能由一个项目新建，其余应为升级改造', en: 'only one project can have built the system; the others upgraded it' },
  'system.duplicate_resource': { zh: '同一信息资源的同一关系只能登记一次', en: 'lists the same resource with the same relation twice' },
  'system.owner_not_government': { zh: '系统所属单位应为政务部门，不能是咨询评估、监理或评价机构', en: 'must be a government organization, not a consulting, supervision or evaluation firm' },
  'material.code_not_in_stage': { zh: '不是该阶段的材料', en: 'is not a material of that stage' },
  'material.file_empty': { zh: '文件为空', en: 'is an empty file' },
  'material.file_name': { zh: '文件名无效（须带扩展名）', en: 'has no usable file name (an extension is needed)' },
  'material.part_after_file': { zh: '须在文件之前提交，且只能上传一个文件', en: 'must come before the file, and only one file may be sent' },
  'acceptance.before_completion': { zh: '不能早于项目建成日期', en: 'must not precede the completion date' },
  'acceptance.operation_on_fail': { zh: '验收未通过时不填写投入运行日期', en: 'is not given when acceptance fails' },
  'postEvaluation.not_evaluator': { zh: '应为第三方评价机构', en: 'must be an evaluation organization' },
  'rule.invalid_wan': { zh: '应为不小于 0 的金额（万元，最多两位小数）', en: 'must be an amount of at least 0 in 万元 with at most two decimals' },
  'rule.invalid_days': { zh: '应为 1–365 之间的整数天数', en: 'must be a whole number of days from 1 to 365' },
  'rule.invalid_boolean': { zh: '应为“是”或“否”', en: 'must be true or false' },
  'rule.invalid_months': { zh: '应为 1–120 之间的整数月数', en: 'must be a whole number of months from 1 to 120' },
  'rule.invalid_percent': { zh: '应为 0–100 之间的百分比（最多两位小数）', en: 'must be a percentage from 0 to 100 with at most two decimals' },
  'rule.invalid_monthDay': { zh: '应为每年都有的日期，写作“月-日”（如 12-31，不能是 02-29）', en: 'must be a day of every year written MM-DD (e.g. 12-31, not 02-29)' },
  'rule.invalid_steps': { zh: '应为升级步骤代码（criticism、deferInvestment、suspendConstruction、terminate）按此顺序的子集，以逗号分隔，不得重复', en: 'must be some of criticism, deferInvestment, suspendConstruction, terminate, in that order, comma-separated, none twice' },
  'assignment.not_assessor': { zh: '应选择咨询评估单位类型的机构', en: 'must be an organization of the assessor kind' },
  'predecessor.not_rebuild': { zh: '只有改建、扩建项目需要关联上一期项目', en: 'only a rebuild or expansion project links a previous project' },
  'predecessor.not_finished': { zh: '上一期项目应已批复或已备案', en: 'must be a project that was approved or filed' },
  'assignment.not_reviewer': { zh: '应选择对本项目有审核权限的审核人', en: 'must be a reviewer who may review this project' },
  'framework.duplicate_participant': { zh: '同一参与部门只能列入一次', en: 'lists the same department twice' },
  'framework.not_participant': { zh: '应为本框架方案的参与部门（含牵头部门）', en: 'must be a participant of this framework plan (the lead included)' },
  'framework.not_government': { zh: '参与部门应为政务部门，不能是咨询评估、监理或评价机构', en: 'must be a government organization, not a consulting, supervision or evaluation firm' },
  'framework.lead_fixed': { zh: '牵头部门不能移除', en: 'is the lead and cannot be removed' },
  'framework.same_endpoint': { zh: '数据流的提供方与接收方不能相同', en: 'must differ from the sending end' },
  'framework.not_an_overlap': { zh: '这两项建设内容不构成疑似重叠（须分属不同参与部门且相似度达到阈值）', en: 'is not a suspected overlap (two contents of different participants at or above the threshold)' },
  'framework.project_not_participant': { zh: '项目建设单位应为该参与部门或其下属单位', en: 'must be a project whose construction unit is that participant or below it' },
  'coordination.not_local': { zh: '地方子项目的建设单位应为地方单位（有行政区划代码）', en: 'must be a local project (its construction unit has a division code)' },
  'coordination.not_national': { zh: '应为国家项目（建设单位为中央单位）', en: 'must be a national project (built by a central organization)' },
  'import.unreadable': { zh: '无法读取该工作簿，请另存为 .xlsx 后重试', en: 'cannot be read as a workbook; save it as .xlsx and try again' },
  'import.no_sheet': { zh: '工作簿中没有工作表', en: 'has no worksheet' },
  'import.no_rows': { zh: '第一个工作表中没有数据行', en: 'has no data rows on its first sheet' },
  'import.too_many_rows': { zh: '超过单次导入行数上限（{limit} 行），请分批导入', en: 'has more than {limit} rows; import it in parts' },
  'import.missing_column': { zh: '缺少该列（请使用导入模板的表头）', en: 'is missing (use the template’s headers)' },
  'import.duplicate_column': { zh: '该列出现了两次', en: 'appears twice' },
  'import.invalid_option': { zh: '不是允许的取值（可选值见模板“说明”工作表）', en: 'is not one of the allowed values (see the template’s 说明 sheet)' },
  'import.not_integer': { zh: '应为整数', en: 'must be a whole number' },
  'import.not_date': { zh: '应为日期，如 2026-01-31', en: 'must be a date such as 2026-01-31' },
  'import.not_boolean': { zh: '应填“是”或“否”', en: 'must be 是 (yes) or 否 (no)' },
  'import.not_text': { zh: '应为文本', en: 'must be text' },
  'import.cell_error': { zh: '单元格是公式错误值', en: 'holds a formula error' },
  'import.unknown_organization': { zh: '找不到该单位（请填写统一社会信用代码或单位全称）', en: 'names no known organization (give its unified social credit code or full name)' },
  'import.ambiguous_organization': { zh: '有多个同名单位，请改填统一社会信用代码', en: 'names several organizations; give the unified social credit code' },
  'import.out_of_scope': { zh: '不在您有权管理的范围内', en: 'is outside what you may manage' },
  'import.owner_not_government': { zh: '所属单位应为政务部门，不能是咨询评估、监理或评价机构', en: 'must be a government organization, not a consulting, supervision or evaluation firm' },
  'import.unknown_project': { zh: '找不到该项目，或您无权修改该项目的信息资源目录', en: 'names no project whose catalog you may edit' },
  'import.project_not_editable': { zh: '项目当前状态不允许修改信息资源目录（仅草稿或退回补正时可修改）', en: 'is a project whose catalog cannot change in its current state (only draft or returned)' },
  'import.bad_data_items': { zh: '信息项应写作“名称:类型[:说明]”，多项用分号分隔，类型如 字符型、整型、日期型', en: 'must be written name:type[:description], separated by semicolons, with a type such as 字符型' },
  'import.duplicate_in_file': { zh: '与第 {row} 行重复', en: 'repeats row {row}' },
  'import.duplicate_existing': { zh: '已存在（与已登记的记录重复）', en: 'already exists' },
  'import.write_failed': { zh: '写入时与他人的修改冲突，本批未导入，请重试', en: 'conflicted with another change while being written; not imported, try again' },
  'coordination.self': { zh: '不能关联项目本身', en: 'must not be the project itself' },
  // 安全与资源记录 (第十四条–第十七条, 第二十八条)
  not_applicable: { zh: '该类记录不适用此项', en: 'does not apply to this kind of record' },
  'security.system_required': { zh: '备案、测评、密评和重大安全隐患记录须指明所属系统', en: 'must name the system for filings, tests, assessments and hazards' },
  'security.future_date': { zh: '日期不能晚于今天', en: 'must not be later than today' },
  'security.mlps_level': { zh: '等保备案级别应为第二级至第五级（第一级自主保护，不备案）', en: 'must be level 2 to 5 (level 1 is not filed)' },
  'security.filing_number_format': { zh: '等保备案编号应为 11 位数字，或 11 位数字-5 位数字', en: 'must be 11 digits, or 11 digits-5 digits' },
  'security.system_not_of_project': { zh: '该系统不是本项目建设或升级的系统', en: 'is not a system this project built or upgraded' },
  // Any input (issue 7, fuzzing): PostgreSQL text cannot hold U+0000, nor jsonb a lone surrogate.
  'input.invalid_character': { zh: '含有无法保存的字符（空字符 U+0000 或不成对的 Unicode 代理字符）', en: 'contains a character that cannot be stored (NUL, U+0000, or a lone Unicode surrogate)' },
  // 第三十四条 versioned rule settings (the deadline engine)
  'rule.effective_in_past': { zh: '生效日期不能早于今天（已生效的规则不能追溯修改）', en: 'must be today or later (settings in force on past days are never rewritten)' },
  // 双随机、一公开 (SPEC §9)
  'spotcheck.inspector_unknown': { zh: '检查人员不存在、已停用或未隶属任何机构', en: 'is not an active user with an organization' },
  'spotcheck.target_unknown': { zh: '不是抽查对象库中已抽中的对象', en: 'is not a drawn target of this spot check' },
  'spotcheck.item_unknown': { zh: '不是检查事项清单中的事项', en: 'is not an item of the checklist' },
  'spotcheck.duplicate': { zh: '重复', en: 'is repeated' },
} as const;

export type FieldCode = keyof typeof FIELD_MESSAGES;

export function fieldMessage(code: string, locale: Locale): string {
  const m = (FIELD_MESSAGES as Record<string, { zh: string; en: string }>)[code] ?? FIELD_MESSAGES.invalid;
  return locale === 'zh-CN' ? m.zh : m.en;
}

/** A rule that stands in the way, with the article it implements (already localized). */
export interface RuleProblem {
  code: string;
  article: string | null;
  message: { zh: string; en: string };
  /** The facts the message was built from (e.g. the missing material's code), as the dry run gives them. */
  params?: Readonly<Record<string, string>>;
}

/** An expected failure with a stable code; never a stack trace for the user. */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly params: Record<string, string | number>;
  readonly fields: ReadonlyArray<{ path: string; code: FieldCode | string }>;
  readonly problems: readonly RuleProblem[];
  constructor(
    code: ErrorCode,
    options: {
      params?: Record<string, string | number>; fields?: ReadonlyArray<{ path: string; code: FieldCode | string }>;
      problems?: readonly RuleProblem[]; message?: string;
    } = {},
  ) {
    super(options.message ?? code);
    this.code = code;
    this.params = options.params ?? {};
    this.fields = options.fields ?? [];
    this.problems = options.problems ?? [];
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
