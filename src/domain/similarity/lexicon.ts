// The government-IT lexicon the similarity engine segments and weighs with: a user dictionary
// for jieba, abbreviations and synonyms mapped to one canonical spelling, stop words, and the
// boilerplate words every system name carries. Curated by hand from common usage in
// government informatization documents (not from the evaluation set); extend it here, one
// place, and re-run the evaluation (docs/similarity-evaluation.md).

/**
 * Words jieba's general dictionary splits or mis-segments. Each becomes one token; its
 * dictionary sub-words (电子证照 → 电子, 证照) are still indexed, at a lower weight, so a
 * compound still meets its parts.
 */
export const USER_WORDS: readonly string[] = [
  // platforms and infrastructure
  '一体化在线政务服务平台', '政务服务', '政务服务平台', '数据共享交换平台', '共享交换', '政务外网', '电子政务外网',
  '政务内网', '电子政务内网', '政务云', '电子政务云', '统一身份认证', '身份认证', '单点登录', '电子证照', '证照',
  '电子印章', '电子签章', '电子公文', '公文传输', '电子档案', '电子发票', '态势感知', '一网通办', '跨省通办',
  '好差评', '双随机', '城市大脑', '天地图', '信用中国', '金税', '办公自动化',
  // catalogs and data
  '信息资源目录', '政务数据', '公共数据', '人口基础信息库', '法人单位', '基础信息库', '统一社会信用代码',
  '公民身份号码', '身份证号码', '联系电话',
  // human resources and social security
  '人社', '社保', '社保卡', '社会保障卡', '社会保险', '医保', '医疗保障', '异地就医', '养老保险', '医疗保险',
  '工伤保险', '失业保险', '失业保险金', '住房公积金', '公积金', '劳动人事争议', '劳动保障监察', '职业技能',
  // market regulation
  '市场监管', '市场主体', '营业执照', '电子营业执照', '个体工商户', '登记注册', '食品经营许可',
  // development and reform, finance
  '发改', '发改委', '投资项目', '预算管理一体化', '非税收入', '政府采购', '公共资源交易', '出口退税', '退免税',
  '个税', '个人所得税',
  // land, housing, environment, safety
  '不动产登记', '不动产', '确权登记', '承包地', '宅基地', '公租房', '公共租赁住房', '保障性住房', '排污许可',
  '排污许可证', '取水许可', '危化品', '危险化学品', '危险废物', '特种设备', '河长制', '河湖长制', '地质灾害',
  // public security, civil affairs, others
  '出入境', '驾驶人', '驾驶证', '电子驾驶证', '接处警', '户籍', '低保', '最低生活保障', '特困人员', '退役军人',
  '残疾人证', '婚姻登记', '收养登记', '兵役登记', '学籍', '学历证书', '等保', '等级保护', '商密', '商用密码',
  '密评', '招投标', '招标投标', '网格化', '网格员', '12345', '电子健康卡', '居民健康卡', '电子健康档案', '电子病历',
  '预警信息', '联网直报', '网络直报', '涉企',
];

/**
 * Abbreviations and synonyms → the canonical tokens they stand for. Applied to single
 * tokens after segmentation (never as text replacement: 个人社保 must not become 个人力资源…).
 * An entry may expand to several tokens (人社 → 人力资源 社会保障); a broader term may list
 * itself and the narrower one (市场主体 covers 企业).
 */
export const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  人社: ['人力资源', '社会保障'],
  人力资源社会保障: ['人力资源', '社会保障'],
  社保: ['社会保险'],
  社保卡: ['社会保障卡'],
  医保: ['医疗保障'],
  发改: ['发展', '改革'],
  发改委: ['发展', '改革', '委员会'],
  市场监管: ['市场', '监督管理'],
  监管: ['监督管理'],
  市场主体: ['市场主体', '企业'],
  电子政务云: ['政务云'],
  电子政务外网: ['政务外网'],
  电子政务内网: ['政务内网'],
  公积金: ['住房公积金'],
  等保: ['等级保护'],
  商密: ['商用密码'],
  危化品: ['危险化学品'],
  招投标: ['招标投标'],
  违章: ['违法'],
  核查: ['核验'],
  比对: ['核验'],
  登记注册: ['登记', '注册'],
  注册登记: ['登记', '注册'],
  在线: ['网上'],
  线上: ['网上'],
  oa: ['办公自动化'],
  etc: ['电子不停车收费'],
  低保: ['最低生活保障'],
  公租房: ['公共租赁住房'],
  个税: ['个人所得税'],
  退免税: ['退税', '免税'],
  河湖长制: ['河长制'],
  身份证号: ['公民身份号码'],
  身份证号码: ['公民身份号码'],
  手机号: ['联系电话'],
  手机号码: ['联系电话'],
  移动电话: ['联系电话'],
  户口: ['户籍'],
  信用代码: ['统一社会信用代码'],
  涉企: ['企业'],
  电子健康卡: ['居民健康卡'],
  一网通办: ['一网通办', '政务服务'],
};

/** Function words and the verbs of every purpose sentence: they say nothing about a system. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  '的', '和', '及', '与', '或', '等', '对', '为', '由', '在', '将', '并', '以', '于', '中', '其', '之', '所', '了',
  '是', '向', '从', '把', '被', '个', '上', '下', '各', '各类', '各级', '相关', '有关', '进行', '开展', '实现',
  '提供', '支撑', '支持', '用于', '通过', '全面', '一个', '主要', '以及', '包括', '涉及', '依托', '推进', '推动',
  '加强', '提升', '能力', '水平', '体系', '建立', '健全', '完善', '优化', '统筹', '有效', '面向', '针对', '基于',
  '按照', '根据', '等等', '其他', '有', '可', '能', '让', '使', '及其', '以下', '以上', '方面', '情况', '问题',
]);

/**
 * Words nearly every system or project name carries. Kept, at BOILERPLATE_WEIGHT, rather than
 * deleted: a name made only of them (信息管理系统) must still match itself, and between two
 * otherwise equal candidates the one that is also a 平台 is a little closer to a 平台.
 */
export const BOILERPLATE: ReadonlySet<string> = new Set([
  '项目', '建设', '工程', '系统', '平台', '管理', '信息', '信息化', '服务', '应用', '综合', '业务', '工作',
  '一期', '二期', '三期', '升级', '改造', '升级改造', '建设项目', '管理系统', '信息系统', '服务平台', '管理平台',
  '信息管理', '信息平台', '数据库', '中心', '全国', '国家', '统一', '省级', '市级', '县级', '部', '省', '市', '县',
  '智慧', '数字', '智能', '网上', '数据', '办理', '电子', '政务', '部门', '一体化',
]);
