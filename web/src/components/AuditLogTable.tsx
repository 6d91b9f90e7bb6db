import { useRef, useState } from 'react';
import { ProTable, type ProColumns } from '@ant-design/pro-components';
import { App, Badge, Button, Descriptions, Drawer, Space, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, FileSearchOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import { useApiFeedback } from '../api/feedback';
import type { AuditCategory, AuditEvent, AuditOutcome, AuditQuery } from '../api/types';
import { useCan } from '../auth/AuthContext';
import { useRoleList } from '../api/useReference';
import { useLocale, useT } from '../i18n';
import { formatDateTime } from '../utils/format';
import DiffTable from './DiffTable';

const OUTCOME_STATUS: Record<AuditOutcome, 'success' | 'warning' | 'error'> = {
  success: 'success',
  denied: 'warning',
  failure: 'error',
};

interface SearchParams {
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  objectType?: string;
  objectId?: string;
  q?: string;
  from?: string;
  to?: string;
}

export default function AuditLogTable({ category }: { category: AuditCategory }) {
  const t = useT();
  const can = useCan();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const lastQuery = useRef<AuditQuery>({ category });
  const [exporting, setExporting] = useState(false);
  const [detail, setDetail] = useState<AuditEvent | null>(null);
  const isOperation = category === 'operation';
  const { locale } = useLocale();
  const roles = useRoleList(can('system:role:read'));
  const roleLabel = (code: string | null) => {
    if (!code) return '—';
    const role = roles.items.find((item) => item.code === code);
    if (!role) return code;
    return locale === 'en-US' && role.nameEn ? role.nameEn : role.name;
  };

  const outcomeLabel = (outcome: AuditOutcome) => <Badge status={OUTCOME_STATUS[outcome]} text={t(`audit.outcome.${outcome}`)} />;

  const columns: ProColumns<AuditEvent>[] = [
    // 第三十一条: free text over the action, object, actor and the before/after diff.
    {
      title: t('audit.search.q'),
      dataIndex: 'q',
      hideInTable: true,
      fieldProps: { placeholder: t('audit.search.q.placeholder') },
    },
    {
      title: t('audit.objectId'),
      dataIndex: 'objectId',
      hideInTable: true,
      search: isOperation ? undefined : false,
    },
    {
      title: t('audit.dateRange'),
      dataIndex: 'dateRange',
      valueType: 'dateRange',
      hideInTable: true,
      search: { transform: (value: [string, string]) => ({ from: value?.[0], to: value?.[1] }) },
    },
    {
      title: t('audit.occurredAt'),
      dataIndex: 'occurredAt',
      search: false,
      width: 180,
      render: (_, event) => <span className="nowrap">{formatDateTime(event.occurredAt)}</span>,
    },
    {
      title: t('audit.actor'),
      dataIndex: 'actor',
      width: 170,
      fieldProps: { placeholder: t('audit.actor.placeholder') },
      render: (_, event) =>
        event.actorUsername || event.actorDisplayName ? (
          <Space size={4} wrap>
            <span>{event.actorDisplayName ?? event.actorUsername}</span>
            {event.actorDisplayName && event.actorUsername && <Typography.Text type="secondary">{event.actorUsername}</Typography.Text>}
          </Space>
        ) : (
          '—'
        ),
    },
    { title: t('audit.organization'), dataIndex: 'organizationName', search: false, ellipsis: true, width: 180, render: (_, e) => e.organizationName || '—' },
    { title: t('audit.role'), dataIndex: 'role', search: false, width: 140, ellipsis: true, render: (_, e) => roleLabel(e.role) },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 180,
      render: (_, event) => <Tag className="mono action-tag">{event.action}</Tag>,
    },
    {
      title: t('audit.objectType'),
      dataIndex: 'objectType',
      hideInTable: true,
      search: isOperation ? undefined : false,
    },
    {
      title: t('audit.object'),
      key: 'object',
      search: false,
      hideInTable: !isOperation,
      width: 200,
      ellipsis: true,
      render: (_, event) =>
        event.objectType ? (
          <Tooltip title={event.objectId}>
            <span>
              <Tag bordered={false}>{event.objectType}</Tag>
              <span className="mono small">{event.objectId ? event.objectId.slice(0, 12) : ''}</span>
            </span>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    {
      title: t('audit.outcome'),
      dataIndex: 'outcome',
      valueType: 'select',
      width: 100,
      valueEnum: {
        success: { text: t('audit.outcome.success'), status: 'Success' },
        denied: { text: t('audit.outcome.denied'), status: 'Warning' },
        failure: { text: t('audit.outcome.failure'), status: 'Error' },
      },
      render: (_, event) => outcomeLabel(event.outcome),
    },
    {
      title: t('audit.clientAddress'),
      dataIndex: 'clientAddress',
      search: false,
      width: 140,
      render: (_, event) => <span className="mono">{event.clientAddress || '—'}</span>,
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 90,
      fixed: 'right',
      render: (_, event) => (
        <a onClick={() => setDetail(event)}>
          <FileSearchOutlined /> {t('audit.detail')}
        </a>
      ),
    },
  ];

  const exportLogs = async () => {
    setExporting(true);
    try {
      await api.audit.export(lastQuery.current);
      void message.success(t('common.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <ProTable<AuditEvent, SearchParams>
        rowKey="id"
        columns={columns}
        headerTitle={
          <Space>
            {t(isOperation ? 'audit.operation.title' : 'audit.login.title')}
            <Tooltip title={t('audit.timezone')}>
              <InfoCircleOutlined className="muted-icon" />
            </Tooltip>
          </Space>
        }
        scroll={{ x: 1300 }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        dateFormatter="string"
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
        expandable={{
          rowExpandable: (event) => !!event.diff && (!!event.diff.before || !!event.diff.after),
          expandedRowRender: (event) => (
            <div className="diff-expanded">
              <DiffTable diff={event.diff} />
            </div>
          ),
        }}
        request={async (params) => {
          const query: AuditQuery = {
            category,
            actor: params.actor?.trim() || undefined,
            action: params.action?.trim() || undefined,
            outcome: params.outcome || undefined,
            objectType: isOperation ? params.objectType?.trim() || undefined : undefined,
            objectId: isOperation ? params.objectId?.trim() || undefined : undefined,
            q: params.q?.trim() || undefined,
            from: params.from || undefined,
            to: params.to || undefined,
          };
          lastQuery.current = query;
          try {
            const result = await api.audit.events({ ...query, page: params.current ?? 1, pageSize: params.pageSize ?? 20 });
            return { data: result.items, total: result.total, success: true };
          } catch (error) {
            showError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() => [
          can('audit:log:export') ? (
            <Button key="export" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportLogs()}>
              {exporting ? t('common.exporting') : t('common.export')}
            </Button>
          ) : null,
        ]}
      />

      <Drawer open={detail !== null} onClose={() => setDetail(null)} title={t('audit.detail.title')} width={720}>
        {detail && (
          <Space direction="vertical" size={16} className="full-width">
            <Descriptions bordered column={1} size="small">
              <Descriptions.Item label={t('audit.occurredAt')}>{formatDateTime(detail.occurredAt)}</Descriptions.Item>
              <Descriptions.Item label={t('audit.actor')}>
                {detail.actorDisplayName ?? '—'} {detail.actorUsername ? `(${detail.actorUsername})` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('audit.organization')}>{detail.organizationName || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('audit.role')}>{roleLabel(detail.role)}</Descriptions.Item>
              <Descriptions.Item label={t('audit.action')}>
                <span className="mono">{detail.action}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('audit.objectType')}>{detail.objectType || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('audit.objectId')}>
                <span className="mono">{detail.objectId || '—'}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('audit.outcome')}>{outcomeLabel(detail.outcome)}</Descriptions.Item>
              <Descriptions.Item label={t('audit.clientAddress')}>
                <span className="mono">{detail.clientAddress || '—'}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('audit.requestId')}>
                <Typography.Text copyable={!!detail.requestId} className="mono">
                  {detail.requestId || '—'}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
            <Typography.Title level={5}>{t('audit.diff')}</Typography.Title>
            <DiffTable diff={detail.diff} />
          </Space>
        )}
      </Drawer>
    </>
  );
}
