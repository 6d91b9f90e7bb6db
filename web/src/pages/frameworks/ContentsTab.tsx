// 主要建设内容 (第十条: 确保各部门建设内容不重叠; I-13). The platform cannot prove there is no overlap:
// it finds pairs of contents of different participants whose similarity reaches the threshold and
// shows each with the shared terms highlighted in both texts. A pair is resolved by changing a
// content until it falls below the threshold (it then disappears), or justified in writing;
// an unhandled pair stands in the way of 联合报送. Below, each participant's contents, with the
// pairs each content belongs to marked inline.
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Form, Input, List, Modal, Popconfirm, Row, Space, Tag, Tooltip, Typography } from 'antd';
import { CheckCircleOutlined, DeleteOutlined, EditOutlined, PlusOutlined, UndoOutlined, WarningOutlined } from '@ant-design/icons';
import { fieldErrorsOf } from '../../api/feedback';
import { useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import CatalogOverlapsCard from './CatalogOverlapsCard';
import { useFramework, useFrameworkEdit } from './FrameworkContext';
import { frameworksApi, LIMITS, type FrameworkContent, type FrameworkParticipant, type Overlap, type OverlapSide } from './frameworksApi';
import { Highlighted, isEditable, leadingTerms, mayEditPart, pairKey } from './frameworkUi';

interface ContentValues {
  title: string;
  description: string;
}

/** Whether the caller may justify a pair: the lead's people or either side's (the server's rule). */
function mayJustify(framework: ReturnType<typeof useFramework>['framework'], overlap: Overlap): boolean {
  const own = framework.caller.ownOrganizationIds;
  return isEditable(framework) && (framework.caller.leads || own.includes(overlap.a.organizationId) || own.includes(overlap.b.organizationId));
}

function OverlapCard({ overlap, contents }: { overlap: Overlap; contents: Map<string, FrameworkContent> }) {
  const t = useT();
  const { framework } = useFramework();
  const edit = useFrameworkEdit();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const terms = leadingTerms(overlap);
  const allowed = mayJustify(framework, overlap);
  const justified = overlap.justification !== null;

  const side = (s: OverlapSide) => {
    const content = contents.get(s.contentId);
    return (
      <div className="overlap-side">
        <Typography.Text type="secondary" className="small">
          {s.organizationName}
        </Typography.Text>
        <div className="overlap-side-title">
          <Highlighted text={s.title} terms={terms} />
        </div>
        {content && (
          <Typography.Paragraph className="overlap-side-text small">
            <Highlighted text={content.description} terms={terms} />
          </Typography.Paragraph>
        )}
      </div>
    );
  };

  const justify = async () => {
    let values: { reason: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    await edit(
      () => frameworksApi.justifyOverlap(framework.id, overlap.a.contentId, overlap.b.contentId, values.reason.trim()),
      t('framework.overlap.justified.done'),
      (error) => {
        const fields = fieldErrorsOf(error).filter(({ name }) => name[0] === 'reason');
        if (fields.length > 0) form.setFields(fields.map(({ errors }) => ({ name: 'reason', errors })));
      },
    );
    setBusy(false);
  };

  const unjustify = async () => {
    setBusy(true);
    await edit(() => frameworksApi.removeJustification(framework.id, overlap.a.contentId, overlap.b.contentId), t('framework.overlap.unjustified'));
    setBusy(false);
  };

  return (
    <div
      className={justified ? 'overlap-card overlap-justified' : 'overlap-card overlap-unhandled'}
      data-pair={pairKey(overlap.a.contentId, overlap.b.contentId)}
      data-state={justified ? 'justified' : 'unhandled'}
    >
      <div className="overlap-head">
        {justified ? (
          <Tag icon={<CheckCircleOutlined />} color="success">
            {t('framework.overlap.state.justified')}
          </Tag>
        ) : (
          <Tag icon={<WarningOutlined />} color="error">
            {t('framework.overlap.state.unhandled')}
          </Tag>
        )}
        <Typography.Text strong>{t('framework.overlap.similarity', { value: overlap.similarity.toFixed(2) })}</Typography.Text>
        <span className="overlap-terms">
          <Typography.Text type="secondary" className="small">
            {t('framework.overlap.terms')}
          </Typography.Text>
          {terms.map((term) => (
            <Tag key={term} className="overlap-term-tag">
              {term}
            </Tag>
          ))}
        </span>
      </div>
      <Row gutter={[12, 8]} className="overlap-sides">
        <Col xs={24} md={12}>
          {side(overlap.a)}
        </Col>
        <Col xs={24} md={12}>
          {side(overlap.b)}
        </Col>
      </Row>
      {overlap.justification ? (
        <div className="overlap-justification">
          <Typography.Text type="secondary" className="small">
            {t('framework.overlap.justifiedBy', {
              name: overlap.justification.justifiedByName ?? t('framework.confirmation.someone'),
              time: formatDateTime(overlap.justification.justifiedAt, 'YYYY-MM-DD HH:mm'),
              value: overlap.justification.similarity.toFixed(2),
            })}
          </Typography.Text>
          <div className="pre-wrap overlap-reason">{overlap.justification.reason}</div>
          {allowed && (
            <Popconfirm
              title={t('framework.overlap.unjustify.confirm')}
              okText={t('framework.overlap.unjustify')}
              cancelText={t('common.cancel')}
              onConfirm={() => void unjustify()}
            >
              <Button size="small" icon={<UndoOutlined />} loading={busy}>
                {t('framework.overlap.unjustify')}
              </Button>
            </Popconfirm>
          )}
        </div>
      ) : allowed ? (
        <Form form={form} layout="vertical" name={`justify-${pairKey(overlap.a.contentId, overlap.b.contentId)}`} className="overlap-form">
          <Form.Item
            name="reason"
            label={t('framework.overlap.reason')}
            extra={t('framework.overlap.reason.help')}
            rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('framework.overlap.reason') }) }]}
          >
            <Input.TextArea rows={3} maxLength={LIMITS.reason} showCount />
          </Form.Item>
          <Button type="primary" onClick={() => void justify()} loading={busy} className="overlap-justify">
            {t('framework.overlap.justify')}
          </Button>
        </Form>
      ) : null}
    </div>
  );
}

export default function ContentsTab() {
  const t = useT();
  const { framework } = useFramework();
  const edit = useFrameworkEdit();
  const [form] = Form.useForm<ContentValues>();
  const [editing, setEditing] = useState<{ organizationId: string; content: FrameworkContent | null } | null>(null);
  const [saving, setSaving] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  const contents = useMemo(() => new Map(framework.participants.flatMap((p) => p.contents.map((c) => [c.id, c] as const))), [framework.participants]);
  const overlapsOf = (contentId: string) => framework.overlaps.filter((o) => o.a.contentId === contentId || o.b.contentId === contentId);
  const unhandled = framework.overlaps.filter((o) => o.justification === null).length;

  const open = (organizationId: string, content: FrameworkContent | null) => {
    form.setFieldsValue(content ? { title: content.title, description: content.description } : { title: '', description: '' });
    setEditing({ organizationId, content });
  };

  const save = async () => {
    if (!editing) return;
    let values: ContentValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const body = { title: values.title.trim(), description: values.description.trim() };
    setSaving(true);
    const ok = await edit(
      () =>
        editing.content
          ? frameworksApi.updateContent(framework.id, editing.content.id, editing.content.version, body)
          : frameworksApi.addContent(framework.id, editing.organizationId, body),
      t('common.saved'),
      (error) => {
        const fields = fieldErrorsOf(error).map(({ name, errors }) => ({ name: name[0] as keyof ContentValues, errors }));
        if (fields.length > 0) form.setFields(fields);
      },
    );
    setSaving(false);
    if (ok) setEditing(null);
  };

  const remove = async (content: FrameworkContent) => {
    setBusy(content.id);
    await edit(() => frameworksApi.removeContent(framework.id, content.id, content.version), t('framework.content.removed'));
    setBusy(null);
  };

  const participantCard = (p: FrameworkParticipant) => {
    const editableHere = mayEditPart(framework, p.organizationId);
    return (
      <Card
        key={p.organizationId}
        size="small"
        className="detail-card content-card"
        data-organization={p.organizationId}
        title={
          <span className="content-card-title">
            {p.organizationName}
            {p.isLead && <Tag color="blue">{t('framework.participant.lead')}</Tag>}
          </span>
        }
        extra={
          editableHere && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => open(p.organizationId, null)} className="content-add">
              {t('framework.content.add')}
            </Button>
          )
        }
      >
        <List<FrameworkContent>
          dataSource={p.contents}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('framework.content.empty')} /> }}
          renderItem={(c) => {
            const pairs = overlapsOf(c.id);
            const terms = [...new Set(pairs.flatMap((o) => leadingTerms(o)))];
            return (
              <List.Item className="content-item" data-content={c.id}>
                <div className="content-body">
                  <div className="content-title">
                    <Typography.Text strong>
                      <Highlighted text={c.title} terms={terms} />
                    </Typography.Text>
                    {pairs.map((o) => {
                      const other = o.a.contentId === c.id ? o.b : o.a;
                      return (
                        <Tooltip key={pairKey(o.a.contentId, o.b.contentId)} title={t('framework.overlap.with', { name: other.organizationName, title: other.title, value: o.similarity.toFixed(2) })}>
                          <Tag color={o.justification ? 'success' : 'error'} icon={o.justification ? <CheckCircleOutlined /> : <WarningOutlined />} className="content-overlap-tag">
                            {o.justification ? t('framework.overlap.inline.justified') : t('framework.overlap.inline.unhandled')}
                          </Tag>
                        </Tooltip>
                      );
                    })}
                  </div>
                  <Typography.Paragraph className="content-description small">
                    <Highlighted text={c.description} terms={terms} />
                  </Typography.Paragraph>
                </div>
                {editableHere && (
                  <Space size={4} className="content-actions">
                    <Tooltip title={t('common.edit')}>
                      <Button size="small" type="text" icon={<EditOutlined />} onClick={() => open(p.organizationId, c)} aria-label={t('common.edit')} />
                    </Tooltip>
                    <Popconfirm
                      title={t('framework.content.remove.confirm', { title: c.title })}
                      okText={t('common.delete')}
                      okButtonProps={{ danger: true }}
                      cancelText={t('common.cancel')}
                      onConfirm={() => void remove(c)}
                    >
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} loading={busy === c.id} aria-label={t('common.delete')} />
                    </Popconfirm>
                  </Space>
                )}
              </List.Item>
            );
          }}
        />
      </Card>
    );
  };

  return (
    <Space direction="vertical" size={16} className="full-width">
      <Card size="small" className="detail-card overlaps-card" title={t('framework.overlaps.title')}>
        <Typography.Paragraph type="secondary" className="small">
          {t('framework.overlaps.help', { threshold: framework.overlapThreshold.toFixed(2) })}
        </Typography.Paragraph>
        {framework.overlaps.length === 0 ? (
          <Alert type="success" showIcon message={t('framework.overlaps.none')} className="overlaps-none" />
        ) : (
          <>
            <Alert
              type={unhandled > 0 ? 'warning' : 'success'}
              showIcon
              className="overlaps-summary"
              message={t('framework.overlaps.summary', { count: framework.overlaps.length, unhandled })}
            />
            {framework.overlaps.map((o) => (
              <OverlapCard key={pairKey(o.a.contentId, o.b.contentId)} overlap={o} contents={contents} />
            ))}
          </>
        )}
      </Card>
      <CatalogOverlapsCard />
      {framework.participants.map(participantCard)}
      <Modal
        open={editing !== null}
        title={editing?.content ? t('framework.content.edit') : t('framework.content.add')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        maskClosable={false}
        width={640}
        forceRender
      >
        <Typography.Paragraph type="secondary" className="small">
          {editing && t('framework.content.for', { name: framework.participants.find((p) => p.organizationId === editing.organizationId)?.organizationName ?? '' })}
        </Typography.Paragraph>
        <Form<ContentValues> form={form} layout="vertical" name="frameworkContent">
          <Form.Item name="title" label={t('framework.content.title')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('framework.content.title') }) }]}>
            <Input maxLength={LIMITS.title} />
          </Form.Item>
          <Form.Item
            name="description"
            label={t('framework.content.description')}
            extra={t('framework.content.description.help')}
            rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('framework.content.description') }) }]}
          >
            <Input.TextArea rows={5} maxLength={LIMITS.description} showCount />
          </Form.Item>
        </Form>
        {editing?.content && overlapsOf(editing.content.id).some((o) => o.justification) && (
          <Alert type="warning" showIcon message={t('framework.content.edit.justified')} />
        )}
      </Modal>
    </Space>
  );
}
