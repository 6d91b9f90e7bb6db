// 确认本单位目录 (第十二条: 各部门应当及时更新本单位…政务信息系统目录): a department user states that
// the list they see is current. The confirmation carries the digest of the list as it was read;
// when the list changed in between (412) the status is reloaded and the user is told to look
// again before confirming. Also the history of a department's confirmations.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Drawer, Empty, Grid, Input, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import { AuditOutlined, CheckCircleOutlined, HistoryOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useLocale, useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { catalogApi, type Confirmation, type DepartmentStatus } from './catalogApi';

/** The department's confirmation state as a tag: 逾期未确认 in red, else current. */
export function ConfirmationTag({ department }: { department: DepartmentStatus }) {
  const t = useT();
  if (department.stale) {
    return (
      <Tag color="red" className="confirmation-stale">
        {department.lastConfirmation ? t('catalog.dept.stale') : t('catalog.dept.never')}
      </Tag>
    );
  }
  return (
    <Tag color="green" className="confirmation-current">
      {t('catalog.dept.current')}
    </Tag>
  );
}

export function ChangedTag({ department }: { department: DepartmentStatus }) {
  const t = useT();
  if (!department.lastConfirmation) return <Typography.Text type="secondary">—</Typography.Text>;
  return department.changedSinceConfirmation ? (
    <Tag color="orange" className="confirmation-changed">
      {t('catalog.dept.changed')}
    </Tag>
  ) : (
    <Tag className="confirmation-unchanged">{t('catalog.dept.unchanged')}</Tag>
  );
}

/**
 * Asks for the confirmation and sends it with the digest of `department` as read. Resolves with
 * the new status, or with the reloaded one (and `stale`) when the list changed meanwhile.
 */
export function useConfirmCatalog() {
  const t = useT();
  const { modal, message } = App.useApp();
  const { showError } = useApiFeedback();
  return useCallback(
    (department: DepartmentStatus, onResult: (status: DepartmentStatus, stale: boolean) => void) => {
      let note = '';
      modal.confirm({
        title: t('catalog.confirm.title'),
        icon: <AuditOutlined />,
        width: 520,
        className: 'catalog-confirm-modal',
        content: (
          <Space direction="vertical" className="full-width">
            <Typography.Paragraph>
              {t('catalog.confirm.content', { name: department.name, count: department.systemCount })}
            </Typography.Paragraph>
            {department.isolatedWithoutException > 0 && (
              <Alert type="warning" showIcon message={t('catalog.confirm.flagged', { count: department.isolatedWithoutException })} />
            )}
            <Input.TextArea
              rows={2}
              maxLength={2000}
              placeholder={t('catalog.confirm.note')}
              onChange={(event) => {
                note = event.target.value;
              }}
              className="catalog-confirm-note"
            />
          </Space>
        ),
        okText: t('catalog.confirm.ok'),
        cancelText: t('common.cancel'),
        onOk: async () => {
          try {
            const status = await catalogApi.national.confirm({
              organizationId: department.organizationId,
              expectedDigest: department.digest,
              note: note.trim() || undefined,
            });
            void message.success(t('catalog.confirm.done'));
            onResult(status, false);
          } catch (error) {
            if (error instanceof ApiError && error.isStale) {
              // The list changed after it was read: show what it is now and ask again.
              try {
                onResult(await catalogApi.national.department(department.organizationId), true);
              } catch (reloadError) {
                showError(reloadError);
              }
              return;
            }
            showError(error);
          }
        },
      });
    },
    [message, modal, showError, t],
  );
}

/** One department's confirmations, newest first. */
export function ConfirmationHistory({ department, onClose }: { department: DepartmentStatus | null; onClose: () => void }) {
  const t = useT();
  const { tx } = useLocale();
  const screens = Grid.useBreakpoint();
  const { showError } = useApiFeedback();
  const [items, setItems] = useState<Confirmation[] | null>(null);
  useEffect(() => {
    if (!department) return;
    let alive = true;
    setItems(null);
    catalogApi.national
      .confirmations(department.organizationId)
      .then((page) => alive && setItems(page.items))
      .catch((error: unknown) => {
        showError(error);
        if (alive) setItems([]);
      });
    return () => {
      alive = false;
    };
  }, [department, showError]);
  return (
    <Drawer
      open={department !== null}
      onClose={onClose}
      width={screens.md ? 720 : '100%'}
      title={department ? t('catalog.dept.history.title', { name: department.name }) : ''}
      className="confirmation-history-drawer"
    >
      {items === null ? (
        <div className="history-loading">
          <Spin />
        </div>
      ) : (
        <Table<Confirmation>
          size="small"
          rowKey="id"
          dataSource={items}
          pagination={false}
          scroll={screens.md ? undefined : { x: 520 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('catalog.dept.never')} /> }}
          columns={[
            { title: t('catalog.dept.lastConfirmed'), dataIndex: 'at', width: 150, render: (v: string) => formatDateTime(v, 'YYYY-MM-DD HH:mm') },
            { title: t('catalog.dept.confirmedBy'), dataIndex: 'byName', width: 140, render: (v: string, c) => `${v}（${tx(`approval.role.${c.role}`, c.role)}）` },
            { title: t('catalog.dept.systemCount'), dataIndex: 'systemCount', width: 80, align: 'right' },
            { title: t('catalog.confirm.noteLabel'), dataIndex: 'note', render: (v: string) => v || '—' },
            {
              title: t('catalog.dept.digest'),
              dataIndex: 'digest',
              width: 120,
              render: (v: string) => (
                <Typography.Text className="mono small" copyable={{ text: v }}>
                  {v.slice(0, 8)}…
                </Typography.Text>
              ),
            },
          ]}
        />
      )}
    </Drawer>
  );
}

/**
 * 本单位目录: the signed-in user's own organizations that keep a list, each with its status and
 * the 确认本单位目录 button (catalog:manage).
 */
export function OwnDepartmentCard({
  organizationId,
  canConfirm,
  refreshKey,
  onConfirmed,
}: {
  organizationId: string;
  canConfirm: boolean;
  /** Changes when a confirmation was made elsewhere on the page: reload. */
  refreshKey: number;
  onConfirmed: () => void;
}) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const confirm = useConfirmCatalog();
  const [department, setDepartment] = useState<DepartmentStatus | null>(null);
  const [missing, setMissing] = useState(false);
  const [changedMeanwhile, setChangedMeanwhile] = useState(false);
  const [history, setHistory] = useState<DepartmentStatus | null>(null);

  useEffect(() => {
    let alive = true;
    catalogApi.national
      .department(organizationId)
      .then((status) => alive && setDepartment(status))
      // An organization that keeps no list (or is outside the catalog scope) has no card.
      .catch(() => alive && setMissing(true));
    return () => {
      alive = false;
    };
  }, [organizationId, refreshKey]);

  if (missing) return null;
  if (!department) {
    return (
      <Card size="small" className="own-department-card">
        <Spin />
      </Card>
    );
  }

  const last = department.lastConfirmation;
  return (
    <Card
      size="small"
      className={department.stale ? 'own-department-card own-department-stale' : 'own-department-card'}
      title={
        <Space wrap size={[8, 4]}>
          <span>{t('catalog.confirm.card.title')}</span>
          <Typography.Text className="own-department-name">{department.name}</Typography.Text>
          <ConfirmationTag department={department} />
        </Space>
      }
      extra={
        screens.sm && (
          <Button size="small" icon={<HistoryOutlined />} onClick={() => setHistory(department)}>
            {t('catalog.dept.history')}
          </Button>
        )
      }
    >
      {changedMeanwhile && (
        <Alert
          type="warning"
          showIcon
          closable
          onClose={() => setChangedMeanwhile(false)}
          className="catalog-confirm-stale"
          message={t('catalog.confirm.stale')}
        />
      )}
      <div className="own-department-body">
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 2, lg: 4, xl: 4, xxl: 4 }} className="own-department-facts">
          <Descriptions.Item label={t('catalog.dept.systemCount')}>
            <Link to={`/catalog/systems?ownerOrganizationId=${department.organizationId}`}>
              {t('catalog.confirm.card.systems', { count: department.systemCount })}
            </Link>
            {department.isolatedWithoutException > 0 && (
              <Tag color="red" className="own-department-flagged">
                {t('catalog.confirm.card.flagged', { count: department.isolatedWithoutException })}
              </Tag>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.dept.lastConfirmed')}>
            {last ? `${formatDateTime(last.at, 'YYYY-MM-DD HH:mm')} · ${last.byName}` : t('catalog.dept.never')}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.dept.changedColumn')}>
            <ChangedTag department={department} />
          </Descriptions.Item>
          <Descriptions.Item
            label={
              <Tooltip title={t('catalog.dept.period', { days: department.confirmationDays })}>
                <span>
                  {t('catalog.dept.dueOn')} <QuestionCircleOutlined />
                </span>
              </Tooltip>
            }
          >
            <span className={department.stale ? 'due-stale' : undefined}>{department.dueOn ?? '—'}</span>
          </Descriptions.Item>
        </Descriptions>
        {canConfirm && (
          <Button
            type="primary"
            icon={<CheckCircleOutlined />}
            className="catalog-confirm-button"
            block={!screens.sm}
            onClick={() =>
              confirm(department, (status, stale) => {
                setDepartment(status);
                setChangedMeanwhile(stale);
                if (!stale) onConfirmed();
              })
            }
          >
            {t('catalog.confirm.button')}
          </Button>
        )}
      </div>
      <ConfirmationHistory department={history} onClose={() => setHistory(null)} />
    </Card>
  );
}
