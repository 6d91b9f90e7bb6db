import { useRef, useState } from 'react';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Badge, Tag, Typography } from 'antd';
import { AuditOutlined, EyeOutlined, FileDoneOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { Plan } from '../../api/types';
import { useCan } from '../../auth/AuthContext';
import { useT } from '../../i18n';
import PlanDrawer from './PlanDrawer';
import PlanAdjustModal from './PlanAdjustModal';
import PlanApproveModal from './PlanApproveModal';

/** National plan first, then the department plans; each group by period and name. */
function comparePlans(a: Plan, b: Plan): number {
  if (a.level !== b.level) return a.level === 'national' ? -1 : 1;
  if (a.periodStartYear !== b.periodStartYear) return b.periodStartYear - a.periodStartYear;
  return a.name.localeCompare(b.name, 'zh-CN');
}

export default function Plans() {
  const t = useT();
  const can = useCan();
  const { showError } = useApiFeedback();
  const actionRef = useRef<ActionType>(null);
  const [plans, setPlans] = useState<Plan[]>([]);
  const [viewing, setViewing] = useState<string | null>(null);
  const [adjusting, setAdjusting] = useState<Plan | null>(null);
  const [approving, setApproving] = useState<Plan | null>(null);
  /** Bumped after a change so an open drawer reloads its versions and adjustments. */
  const [revision, setRevision] = useState(0);
  const canManage = can('plan:manage');

  const changed = (plan: Plan) => {
    setPlans((list) => list.map((item) => (item.id === plan.id ? plan : item)));
    setRevision((value) => value + 1);
    void actionRef.current?.reload();
  };

  const columns: ProColumns<Plan>[] = [
    {
      title: t('plan.name'),
      dataIndex: 'name',
      width: 250,
      render: (_, plan) => (
        <span>
          <Tag color={plan.level === 'national' ? 'red' : 'geekblue'} className="plan-level-tag">
            {t(`plan.level.${plan.level}`)}
          </Tag>
          <a onClick={() => setViewing(plan.id)}>{plan.name}</a>
        </span>
      ),
    },
    { title: t('plan.organization'), dataIndex: 'organizationName', width: 150, ellipsis: true },
    {
      title: t('plan.period'),
      dataIndex: 'periodStartYear',
      width: 110,
      render: (_, plan) => <span className="nowrap">{t('plan.period.range', { start: plan.periodStartYear, end: plan.periodEndYear })}</span>,
    },
    {
      title: t('plan.status'),
      dataIndex: 'status',
      width: 136,
      render: (_, plan) => (
        <span className="nowrap">
          <Badge status={plan.status === 'approved' ? 'success' : 'default'} text={t(`plan.status.${plan.status}`)} />
          {plan.currentVersion > 0 && <Tag className="version-tag">{t('plan.version.label', { no: plan.currentVersion })}</Tag>}
        </span>
      ),
    },
    {
      title: t('plan.approvedOn'),
      dataIndex: 'approvedOn',
      width: 100,
      render: (_, plan) => plan.approvedOn ?? '—',
    },
    {
      title: t('plan.approvalDocumentNumber'),
      dataIndex: 'approvalDocumentNumber',
      width: 180,
      render: (_, plan) => plan.approvalDocumentNumber ?? '—',
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      fixed: 'right',
      width: canManage ? 160 : 80,
      render: (_, plan) => {
        const actions = [
          <a key="view" onClick={() => setViewing(plan.id)}>
            <EyeOutlined /> {t('common.view')}
          </a>,
        ];
        if (canManage && plan.status === 'approved') {
          actions.push(
            <a key="adjust" onClick={() => setAdjusting(plan)}>
              <AuditOutlined /> {t('plan.adjust')}
            </a>,
          );
        }
        if (canManage && plan.status === 'draft') {
          actions.push(
            <a key="approve" onClick={() => setApproving(plan)}>
              <FileDoneOutlined /> {t('plan.approve')}
            </a>,
          );
        }
        return actions;
      },
    },
  ];

  const viewed = plans.find((plan) => plan.id === viewing) ?? null;

  return (
    <PageContainer>
      <ProTable<Plan>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        headerTitle={t('plan.list.title')}
        search={false}
        pagination={false}
        scroll={{ x: 1000 }}
        options={{ reload: true, density: true, setting: true }}
        request={async () => {
          try {
            const result = await api.plans.list();
            const sorted = [...result.items].sort(comparePlans);
            setPlans(sorted);
            return { data: sorted, total: sorted.length, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
      />
      <Typography.Paragraph type="secondary" className="table-footnote">
        {t('plan.article6.note')}
      </Typography.Paragraph>
      <PlanDrawer
        plan={viewed}
        plans={plans}
        revision={revision}
        canManage={canManage}
        onClose={() => setViewing(null)}
        onAdjust={(plan) => setAdjusting(plan)}
        onApprove={(plan) => setApproving(plan)}
      />
      <PlanAdjustModal plan={adjusting} plans={plans} onClose={() => setAdjusting(null)} onDone={changed} />
      <PlanApproveModal plan={approving} onClose={() => setApproving(null)} onDone={changed} />
    </PageContainer>
  );
}
