// 第十条 确保各部门建设内容不重叠, I-13: each participant's contents against the systems already in
// the master catalog (第十二条), not only against each other. Per content, the ranked catalog
// systems at or above the threshold with the shared terms; each is handled by changing the
// content (the hit then disappears) or by a written reason why the content does not build that
// system again; an unhandled one stands in the way of 联合报送. I-59: the check covers the whole
// non-secret national catalog, whatever the reader's own catalog scope.
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { CheckCircleOutlined, UndoOutlined, WarningOutlined } from '@ant-design/icons';
import { fieldErrorsOf } from '../../api/feedback';
import { useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { useFramework, useFrameworkEdit } from './FrameworkContext';
import { frameworksApi, LIMITS, type CatalogOverlap } from './frameworksApi';
import { isEditable } from './frameworkUi';

const keyOf = (o: CatalogOverlap) => `${o.content.contentId}|${o.system.systemId}`;

function Handling({ overlap }: { overlap: CatalogOverlap }) {
  const t = useT();
  const { framework } = useFramework();
  const edit = useFrameworkEdit();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const own = framework.caller.ownOrganizationIds;
  const allowed = isEditable(framework) && (framework.caller.leads || own.includes(overlap.content.organizationId));

  if (overlap.justification) {
    const j = overlap.justification;
    return (
      <div className="catalog-overlap-justification">
        <Typography.Text type="secondary" className="small">
          {t('framework.overlap.justifiedBy', {
            name: j.justifiedByName ?? t('framework.confirmation.someone'), time: formatDateTime(j.justifiedAt, 'YYYY-MM-DD HH:mm'), value: j.similarity.toFixed(2),
          })}
        </Typography.Text>
        <div className="pre-wrap">{j.reason}</div>
        {allowed && (
          <Popconfirm
            title={t('framework.overlap.unjustify.confirm')}
            okText={t('framework.overlap.unjustify')}
            cancelText={t('common.cancel')}
            onConfirm={async () => {
              setBusy(true);
              await edit(() => frameworksApi.removeCatalogJustification(framework.id, overlap.content.contentId, overlap.system.systemId), t('framework.overlap.unjustified'));
              setBusy(false);
            }}
          >
            <Button size="small" icon={<UndoOutlined />} loading={busy}>
              {t('framework.overlap.unjustify')}
            </Button>
          </Popconfirm>
        )}
      </div>
    );
  }
  if (!allowed) return <Typography.Text type="secondary">{t('framework.catalogOverlaps.awaiting')}</Typography.Text>;
  const justify = async () => {
    let values: { reason: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    await edit(
      () => frameworksApi.justifyCatalogOverlap(framework.id, overlap.content.contentId, overlap.system.systemId, values.reason.trim()),
      t('framework.overlap.justified.done'),
      (error) => {
        const fields = fieldErrorsOf(error).filter(({ name }) => name[0] === 'reason');
        if (fields.length > 0) form.setFields(fields.map(({ errors }) => ({ name: 'reason', errors })));
      },
    );
    setBusy(false);
  };
  return (
    <Form form={form} layout="vertical" name={`catalog-justify-${keyOf(overlap)}`} className="catalog-overlap-form">
      <Form.Item
        name="reason"
        label={t('framework.catalogOverlaps.reason')}
        rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('framework.catalogOverlaps.reason') }) }]}
      >
        <Input.TextArea rows={2} maxLength={LIMITS.reason} showCount />
      </Form.Item>
      <Button type="primary" size="small" onClick={() => void justify()} loading={busy} className="catalog-overlap-justify">
        {t('framework.overlap.justify')}
      </Button>
    </Form>
  );
}

export default function CatalogOverlapsCard() {
  const t = useT();
  const { framework } = useFramework();
  const overlaps = framework.catalogOverlaps;
  const unhandled = overlaps.filter((o) => o.justification === null).length;
  return (
    <Card size="small" className="detail-card catalog-overlaps-card" title={t('framework.catalogOverlaps.title')}>
      <Typography.Paragraph type="secondary" className="small">
        {t('framework.catalogOverlaps.help', { threshold: framework.overlapThreshold.toFixed(2) })}
      </Typography.Paragraph>
      {overlaps.length === 0 ? (
        <Alert type="success" showIcon message={t('framework.catalogOverlaps.none')} className="catalog-overlaps-none" />
      ) : (
        <Space direction="vertical" className="full-width">
          <Alert
            type={unhandled > 0 ? 'warning' : 'success'}
            showIcon
            className="catalog-overlaps-summary"
            message={t('framework.catalogOverlaps.summary', { count: overlaps.length, unhandled })}
          />
          <Table<CatalogOverlap>
            size="small"
            rowKey={keyOf}
            pagination={false}
            dataSource={overlaps}
            onRow={(o) => ({ 'data-state': o.justification ? 'justified' : 'unhandled', className: 'catalog-overlap-row' }) as HTMLAttributes<HTMLElement>}
            columns={[
              {
                title: t('framework.catalogOverlaps.content'),
                render: (_, o) => (
                  <>
                    <Typography.Text type="secondary" className="small">{o.content.organizationName}</Typography.Text>
                    <div>{o.content.title}</div>
                  </>
                ),
              },
              {
                title: t('framework.catalogOverlaps.system'),
                render: (_, o) => (
                  <>
                    <Typography.Text type="secondary" className="small">{o.system.organizationName}</Typography.Text>
                    <div><Link to={`/catalog/systems/${o.system.systemId}`}>{o.system.name}</Link></div>
                  </>
                ),
              },
              { title: t('framework.catalogOverlaps.similarity'), width: 90, render: (_, o) => o.similarity.toFixed(2) },
              {
                title: t('framework.overlap.terms'),
                render: (_, o) => o.terms.slice(0, 6).map((term) => <Tag key={term.term}>{term.term}</Tag>),
              },
              {
                title: t('framework.catalogOverlaps.handling'),
                width: 320,
                render: (_, o) => (
                  <Space direction="vertical" className="full-width">
                    {o.justification ? (
                      <Tag icon={<CheckCircleOutlined />} color="success">{t('framework.overlap.state.justified')}</Tag>
                    ) : (
                      <Tag icon={<WarningOutlined />} color="error">{t('framework.overlap.state.unhandled')}</Tag>
                    )}
                    <Handling overlap={o} />
                  </Space>
                ),
              },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
