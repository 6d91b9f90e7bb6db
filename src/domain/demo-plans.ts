// Demo plans (第六条) that `govproj seed --demo` writes: the national plan with the six
// priorities of the 14th Five-Year plan from the seed text, and one department plan linked to
// it. Pure typed constants, no I/O.
//
// The national plan is real: 《“十四五”推进国家政务信息化规划》, passed by the State Council
// executive meeting on 17 November 2021 (the seed's news item: “李克强总理17日主持召开国务院常务
// 会议，审议通过……“十四五”规划”) and issued by NDRC “经国务院同意” as 发改高技〔2021〕1898号
// (24 December 2021). The six tasks follow the news item's 一 to 六, whose wording is a garbled
// transcription in places (e.g. “双随机一开放” for 双随机、一公开, “电子证书数据库” for 电子证照库);
// the titles and descriptions keep its recognizable meaning and add nothing it does not say.
//
// The department plan of 人力资源和社会保障部 is FICTITIOUS demo data: its name, tasks and
// approval date are invented to show a department plan linking to national tasks 2 and 3.

export interface DemoPlanTask {
  code: string;
  title: string;
  description: string;
  /** For a department task: the code of the national task it implements. */
  nationalTaskCode: string | null;
}

export interface DemoPlan {
  /** DemoOrg key of the compiling organization. */
  orgKey: string;
  name: string;
  periodStartYear: number;
  periodEndYear: number;
  approvedOn: string;
  approvalDocumentNumber: string | null;
  tasks: readonly DemoPlanTask[];
}

export const DEMO_NATIONAL_PLAN: DemoPlan = {
  orgKey: 'ndrc',
  name: '“十四五”推进国家政务信息化规划',
  periodStartYear: 2021,
  periodEndYear: 2025,
  approvedOn: '2021-11-17',
  approvalDocumentNumber: '发改高技〔2021〕1898号',
  tasks: [
    {
      code: '1', nationalTaskCode: null, title: '构建全国统一的电子政务网络',
      description: '推动各地区、各部门政务网络整合为统一的电子政务网络，打破信息孤岛，实现全面联通、信息共享。',
    },
    {
      code: '2', nationalTaskCode: null, title: '丰富全国一体化政务服务平台功能，建设统一的电子证照库',
      description: '推广电子合同、电子签名等应用，在社保、医疗、教育、就业等方面提供更加便捷的公共服务，实现更多事项网上办理。',
    },
    {
      code: '3', nationalTaskCode: null, title: '完善人口、法人、自然资源、经济数据等基础信息数据库',
      description: '提高数据资源开发利用能力，深化数字技术在公共卫生、自然灾害、事故灾难等重大突发事件应急处置中的应用。',
    },
    {
      code: '4', nationalTaskCode: null, title: '依法依规推进政务数据对外开放',
      description: '按照政务公开规则，优先推进企业登记监管、卫生、教育、交通、气象等数据开放，完善制度，严格保护商业秘密和个人隐私。',
    },
    {
      code: '5', nationalTaskCode: null, title: '加强市场监管信息化建设',
      description: '完善“双随机、一公开”监管、“互联网+监管”、信用监管等机制，提高食品药品、农产品、特种设备等协同监管能力。',
    },
    {
      code: '6', nationalTaskCode: null, title: '加强网络安全保障',
      description: '严格落实网络安全保护制度，增强政务信息基础设施、信息系统和数据的安全保障能力。',
    },
  ],
};

export const DEMO_DEPARTMENT_PLAN: DemoPlan = {
  orgKey: 'mohrss',
  name: '人力资源和社会保障部“十四五”政务信息化建设规划（演示）',
  periodStartYear: 2021,
  periodEndYear: 2025,
  approvedOn: '2022-03-31',
  approvalDocumentNumber: null,
  tasks: [
    {
      code: '1', nationalTaskCode: '2', title: '人社政务服务接入全国一体化政务服务平台',
      description: '将社会保险、就业服务等事项接入全国一体化政务服务平台，推广电子社会保障卡，实现更多人社服务网上办理。',
    },
    {
      code: '2', nationalTaskCode: '3', title: '人社业务数据与人口、法人基础信息库共享',
      description: '以人口、法人基础信息库为基准，完善参保、就业等人社业务数据，支撑数据共享和开发利用。',
    },
  ],
};
