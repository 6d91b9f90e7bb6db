import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Badge, Button, Descriptions, Drawer, Empty, Grid, Modal, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { AuditOutlined, FileDoneOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import type { Plan, PlanAdjustment, PlanTask, PlanVersion, PlanVersionSummary, SnapshotTask } from '../../api/types';
import { useLocale, useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';

interface TaskRef {
  code: string;
  title: string;
}

/** "2 丰富全国一体化政务服务平台功能…" for a task id, looked up in every plan the caller sees. */
function useTaskIndex(plans: Plan[]): Map<string, TaskRef> {
  return useMemo(() => {
    const index = new Map<string, TaskRef>();
    for (const plan of plans) for (const task of plan.tasks) index.set(task.id, { code: task.code, title: task.title });
    return index;
  }, [plans]);
}

function NationalTaskLink({ id, index }: { id: string | null; index: Map<string, TaskRef> }) {
  const t = useT();
  if (!id) return <>—</>;
  const task = index.get(id);
  return task ? (
    <span>
      <Tag color="red">{t('plan.task.nationalCode', { code: task.code })}</Tag>
      {task.title}
    </span>
  ) : (
    <Typography.Text type="secondary" className="mono small">
      {id}
    </Typography.Text>
  );
}

function TaskTable<T extends SnapshotTask>({
  tasks,
  level,
  index,
  extraColumns = [],
}: {
  tasks: T[];
  level: Plan['level'];
  index: Map<string, TaskRef>;
  extraColumns?: { title: string; key: string; width?: number; render: (task: T) => ReactNode }[];
}) {
  const t = useT();
  const columns = [
    { title: t('plan.task.code'), dataIndex: 'code', key: 'code', width: 80 },
    { title: t('plan.task.title'), dataIndex: 'title', key: 'title', width: 260 },
    {
      title: t('plan.task.description'),
      dataIndex: 'description',
      key: 'description',
      render: (value: string) => (value ? <span className="pre-wrap">{value}</span> : '—'),
    },
    ...(level === 'department'
      ? [
          {
            title: t('plan.task.nationalTask'),
            dataIndex: 'parentTaskId',
            key: 'parentTaskId',
            width: 260,
            render: (value: string | null) => <NationalTaskLink id={value} index={index} />,
          },
        ]
      : []),
    ...extraColumns.map((column) => ({ ...column, render: (_: unknown, task: T) => column.render(task) })),
  ];
  return <Table<T> rowKey="id" columns={columns} dataSource={tasks} pagination={false} size="small" scroll={{ x: 760 }} />;
}

/** What an adjustment changed: plan fields, added, withdrawn and changed tasks. */
function AdjustmentChanges({ adjustment }: { adjustment: PlanAdjustment }) {
  const t = useT();
  const { tx } = useLocale();
  const label = (key: string) => tx(`plan.field.${key}`, key);
  const { changes } = adjustment;
  const planKeys = Object.keys(changes.plan.after);
  const show = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value));
  return (
    <div className="adjustment-changes">
      {planKeys.length > 0 && (
        <div>
          <Typography.Text strong>{t('plan.adjustment.changes.plan')}</Typography.Text>
          <ul>
            {planKeys.map((key) => (
              <li key={key}>
                {t('plan.adjustment.changes.field', {
                  field: label(key),
                  before: show(changes.plan.before[key]),
                  after: show(changes.plan.after[key]),
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {changes.added.length > 0 && (
        <div>
          <Typography.Text strong>{t('plan.adjustment.changes.added')}</Typography.Text>
          <ul>
            {changes.added.map((task) => (
              <li key={task.id}>
                <Tag color="green">{task.code}</Tag>
                {task.title}
              </li>
            ))}
          </ul>
        </div>
      )}
      {changes.withdrawn.length > 0 && (
        <div>
          <Typography.Text strong>{t('plan.adjustment.changes.withdrawn')}</Typography.Text>
          <ul>
            {changes.withdrawn.map((task) => (
              <li key={task.id}>
                <Tag color="red">{task.code}</Tag>
                <Typography.Text delete>{task.title}</Typography.Text>
              </li>
            ))}
          </ul>
        </div>
      )}
      {changes.changed.length > 0 && (
        <div>
          <Typography.Text strong>{t('plan.adjustment.changes.changed')}</Typography.Text>
          <ul>
            {changes.changed.map((change) => (
              <li key={change.id}>
                <Tag color="orange">{change.code}</Tag>
                {Object.keys(change.after).map((key) => (
                  <div key={key} className="small">
                    {t('plan.adjustment.changes.field', { field: label(key), before: show(change.before[key]), after: show(change.after[key]) })}
                  </div>
                ))}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

export default function PlanDrawer({
  plan,
  plans,
  revision,
  canManage,
  onClose,
  onAdjust,
  onApprove,
}: {
  plan: Plan | null;
  plans: Plan[];
  revision: number;
  canManage: boolean;
  onClose: () => void;
  onAdjust: (plan: Plan) => void;
  onApprove: (plan: Plan) => void;
}) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { showError } = useApiFeedback();
  const index = useTaskIndex(plans);
  const [versions, setVersions] = useState<PlanVersionSummary[]>([]);
  const [adjustments, setAdjustments] = useState<PlanAdjustment[]>([]);
  const [loading, setLoading] = useState(false);
  const [snapshot, setSnapshot] = useState<PlanVersion | null>(null);
  const [snapshotLoading, setSnapshotLoading] = useState<number | null>(null);
  const planId = plan?.id ?? null;

  useEffect(() => {
    if (!planId) return;
    let alive = true;
    setLoading(true);
    Promise.all([api.plans.versions(planId), api.plans.adjustments(planId)])
      .then(([v, a]) => {
        if (!alive) return;
        setVersions(v.items);
        setAdjustments(a.items);
      })
      .catch((error: unknown) => alive && showError(error))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, [planId, revision, showError]);

  const openSnapshot = async (versionNo: number) => {
    if (!planId) return;
    setSnapshotLoading(versionNo);
    try {
      setSnapshot(await api.plans.version(planId, versionNo));
    } catch (error) {
      showError(error);
    } finally {
      setSnapshotLoading(null);
    }
  };

  const parent = plan?.parentPlanId ? plans.find((item) => item.id === plan.parentPlanId) : undefined;

  const taskStatus = (task: PlanTask) =>
    task.withdrawnInVersion === null ? (
      <Badge status="success" text={t('plan.task.current')} />
    ) : (
      <Badge status="default" text={t('plan.task.withdrawnIn', { no: task.withdrawnInVersion })} />
    );

  const tabs = plan
    ? [
        {
          key: 'tasks',
          label: t('plan.tab.tasks', { count: plan.tasks.filter((task) => task.withdrawnInVersion === null).length }),
          children: (
            <TaskTable<PlanTask>
              tasks={plan.tasks}
              level={plan.level}
              index={index}
              extraColumns={[{ title: t('plan.task.status'), key: 'status', width: 120, render: taskStatus }]}
            />
          ),
        },
        {
          key: 'versions',
          label: t('plan.tab.versions', { count: versions.length }),
          children: (
            <Table<PlanVersionSummary>
              rowKey="versionNo"
              loading={loading}
              dataSource={versions}
              pagination={false}
              size="small"
              scroll={{ x: 600 }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plan.versions.empty')} /> }}
              columns={[
                {
                  title: t('plan.version'),
                  dataIndex: 'versionNo',
                  width: 90,
                  render: (value: number) => (
                    <Space size={4}>
                      {t('plan.version.label', { no: value })}
                      {value === plan.currentVersion && <Tag color="green">{t('plan.version.current')}</Tag>}
                    </Space>
                  ),
                },
                {
                  title: t('plan.version.source'),
                  dataIndex: 'source',
                  width: 110,
                  render: (value: PlanVersionSummary['source']) => t(`plan.version.source.${value}`),
                },
                { title: t('plan.version.createdBy'), dataIndex: 'createdByName', width: 120, render: (value: string | null) => value ?? '—' },
                { title: t('common.createdAt'), dataIndex: 'createdAt', width: 170, render: (value: string) => formatDateTime(value) },
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 120,
                  render: (_: unknown, row: PlanVersionSummary) => (
                    <Button type="link" size="small" loading={snapshotLoading === row.versionNo} onClick={() => void openSnapshot(row.versionNo)}>
                      {t('plan.version.view')}
                    </Button>
                  ),
                },
              ]}
            />
          ),
        },
        {
          key: 'adjustments',
          label: t('plan.tab.adjustments', { count: adjustments.length }),
          children: (
            <Table<PlanAdjustment>
              rowKey="id"
              loading={loading}
              dataSource={adjustments}
              pagination={false}
              size="small"
              scroll={{ x: 720 }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plan.adjustments.empty')} /> }}
              expandable={{
                expandedRowRender: (row) => (
                  <Descriptions column={1} size="small" bordered layout={screens.sm ? 'horizontal' : 'vertical'} className="adjustment-descriptions">
                    <Descriptions.Item label={t('plan.adjustment.evaluation')}>
                      <div className="pre-wrap">{row.evaluation}</div>
                    </Descriptions.Item>
                    <Descriptions.Item label={t('plan.adjustment.description')}>
                      <div className="pre-wrap">{row.description || '—'}</div>
                    </Descriptions.Item>
                    <Descriptions.Item label={t('plan.adjustment.changes')}>
                      <AdjustmentChanges adjustment={row} />
                    </Descriptions.Item>
                  </Descriptions>
                ),
              }}
              columns={[
                {
                  title: t('plan.adjustment.resultingVersion'),
                  dataIndex: 'versionNo',
                  width: 100,
                  render: (value: number) => t('plan.version.label', { no: value }),
                },
                {
                  title: t('plan.adjustment.reasonCategory'),
                  dataIndex: 'reasonCategory',
                  width: 220,
                  render: (value: PlanAdjustment['reasonCategory']) => t(`plan.adjustment.reason.${value}`),
                },
                { title: t('plan.approvedOn'), dataIndex: 'approvedOn', width: 110 },
                {
                  title: t('plan.approvalDocumentNumber'),
                  dataIndex: 'approvalDocumentNumber',
                  width: 180,
                  render: (value: string | null) => value ?? '—',
                },
                { title: t('plan.adjustment.createdBy'), dataIndex: 'createdByName', width: 100, render: (value: string | null) => value ?? '—' },
              ]}
            />
          ),
        },
      ]
    : [];

  return (
    <>
      <Drawer
        open={plan !== null}
        onClose={onClose}
        width={screens.lg ? 1040 : '100%'}
        title={plan?.name}
        destroyOnHidden
        extra={
          plan && canManage ? (
            plan.status === 'approved' ? (
              <Button type="primary" icon={<AuditOutlined />} onClick={() => onAdjust(plan)}>
                {t('plan.adjust')}
              </Button>
            ) : (
              <Button type="primary" icon={<FileDoneOutlined />} onClick={() => onApprove(plan)}>
                {t('plan.approve')}
              </Button>
            )
          ) : null
        }
      >
        {plan ? (
          <Space direction="vertical" size={16} className="full-width">
            <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} layout={screens.sm ? 'horizontal' : 'vertical'}>
              <Descriptions.Item label={t('plan.level')}>
                <Tag color={plan.level === 'national' ? 'red' : 'geekblue'}>{t(`plan.level.${plan.level}`)}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('plan.organization')}>{plan.organizationName}</Descriptions.Item>
              <Descriptions.Item label={t('plan.period')}>{t('plan.period.range', { start: plan.periodStartYear, end: plan.periodEndYear })}</Descriptions.Item>
              <Descriptions.Item label={t('plan.status')}>
                <Badge status={plan.status === 'approved' ? 'success' : 'default'} text={t(`plan.status.${plan.status}`)} />
              </Descriptions.Item>
              <Descriptions.Item label={t('plan.approvedOn')}>{plan.approvedOn ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('plan.approvalDocumentNumber')}>{plan.approvalDocumentNumber ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('plan.currentVersion')}>
                {plan.currentVersion > 0 ? t('plan.version.label', { no: plan.currentVersion }) : '—'}
              </Descriptions.Item>
              {plan.level === 'department' && (
                <Descriptions.Item label={t('plan.parentPlan')}>{parent?.name ?? plan.parentPlanId ?? '—'}</Descriptions.Item>
              )}
            </Descriptions>
            <Tabs items={tabs} />
          </Space>
        ) : null}
      </Drawer>

      <Modal
        open={snapshot !== null}
        title={snapshot ? t('plan.snapshot.title', { no: snapshot.versionNo }) : ''}
        onCancel={() => setSnapshot(null)}
        footer={<Button onClick={() => setSnapshot(null)}>{t('common.close')}</Button>}
        width={screens.lg ? 960 : '100%'}
      >
        {snapshot ? (
          <Space direction="vertical" size={12} className="full-width">
            <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} layout={screens.sm ? 'horizontal' : 'vertical'}>
              <Descriptions.Item label={t('plan.name')}>{snapshot.snapshot.plan.name}</Descriptions.Item>
              <Descriptions.Item label={t('plan.organization')}>{snapshot.snapshot.plan.organizationName}</Descriptions.Item>
              <Descriptions.Item label={t('plan.period')}>
                {t('plan.period.range', { start: snapshot.snapshot.plan.periodStartYear, end: snapshot.snapshot.plan.periodEndYear })}
              </Descriptions.Item>
              <Descriptions.Item label={t('plan.version.source')}>{t(`plan.version.source.${snapshot.source}`)}</Descriptions.Item>
              <Descriptions.Item label={t('plan.approvedOn')}>{snapshot.snapshot.approval.approvedOn}</Descriptions.Item>
              <Descriptions.Item label={t('plan.approvalDocumentNumber')}>{snapshot.snapshot.approval.approvalDocumentNumber ?? '—'}</Descriptions.Item>
            </Descriptions>
            <TaskTable<SnapshotTask> tasks={snapshot.snapshot.tasks} level={snapshot.snapshot.plan.level} index={index} />
          </Space>
        ) : (
          <Spin />
        )}
      </Modal>
    </>
  );
}
