// 参与部门 (第十条: 牵头部门与参与部门共同编制): each participant with its part — its contents, the data
// flows it sends or receives, the catalog entries it provides — and whether it has confirmed that
// part as it stands. Its own people confirm (or take the confirmation back); any change to the
// part clears the confirmation, so it is confirmed again. The lead adds and removes participants.
import { useState } from 'react';
import { Button, Card, Empty, Form, List, Modal, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined, DeleteOutlined, PlusOutlined, SafetyCertificateOutlined, UndoOutlined } from '@ant-design/icons';
import { useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import DepartmentSelect from '../../components/DepartmentSelect';
import { useFramework, useFrameworkEdit } from './FrameworkContext';
import { frameworksApi, type FrameworkParticipant } from './frameworksApi';
import { isEditable } from './frameworkUi';

export default function ParticipantsTab() {
  const t = useT();
  const { framework } = useFramework();
  const edit = useFrameworkEdit();
  const [busy, setBusy] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<{ organizationId?: string }>();
  const editable = isEditable(framework);
  const own = new Set(framework.caller.ownOrganizationIds);
  const mayManage = framework.caller.leads && editable;

  const partOf = (p: FrameworkParticipant) => ({
    contents: p.contents.length,
    flows: framework.dataFlows.filter((f) => f.from.organizationId === p.organizationId || f.to.organizationId === p.organizationId).length,
    entries: framework.catalogEntries.filter((e) => e.providerOrganizationId === p.organizationId).length,
  });

  const run = async (key: string, action: () => Promise<unknown>) => {
    setBusy(key);
    await action();
    setBusy(null);
  };

  const add = async () => {
    let organizationId: string | undefined;
    try {
      ({ organizationId } = await form.validateFields());
    } catch {
      return;
    }
    if (!organizationId) return;
    await run('add', async () => {
      if (await edit(() => frameworksApi.addParticipant(framework.id, organizationId), t('framework.participant.added'))) setAdding(false);
    });
  };

  const existing = new Set(framework.participants.map((p) => p.organizationId));

  return (
    <Card
      size="small"
      className="detail-card"
      title={t('framework.tab.participants')}
      extra={
        mayManage && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => {
              form.resetFields();
              setAdding(true);
            }}
          >
            {t('framework.participant.add')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary" className="small">
        {t('framework.participants.help')}
      </Typography.Paragraph>
      <List<FrameworkParticipant>
        dataSource={framework.participants}
        className="participant-list"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        renderItem={(p) => {
          const part = partOf(p);
          const mine = own.has(p.organizationId);
          const actions = [];
          if (mine && editable) {
            actions.push(
              p.confirmation ? (
                <Popconfirm
                  key="withdraw"
                  title={t('framework.confirmation.withdraw.confirm')}
                  okText={t('framework.confirmation.withdraw')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => void run(`w-${p.organizationId}`, () => edit(() => frameworksApi.withdrawConfirmation(framework.id, p.organizationId), t('framework.confirmation.withdrawn')))}
                >
                  <Button size="small" icon={<UndoOutlined />} loading={busy === `w-${p.organizationId}`} className="withdraw-confirmation">
                    {t('framework.confirmation.withdraw')}
                  </Button>
                </Popconfirm>
              ) : (
                <Popconfirm
                  key="confirm"
                  title={t('framework.confirmation.confirm.title')}
                  description={
                    <div className="confirmation-popover">
                      {t('framework.confirmation.confirm.content', { name: p.organizationName, ...part })}
                    </div>
                  }
                  okText={t('framework.confirmation.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() =>
                    void run(`c-${p.organizationId}`, () =>
                      edit(() => frameworksApi.confirm(framework.id, p.organizationId, p.version), t('framework.confirmation.done', { name: p.organizationName })),
                    )
                  }
                >
                  <Button type="primary" size="small" icon={<SafetyCertificateOutlined />} loading={busy === `c-${p.organizationId}`} className="confirm-part">
                    {t('framework.confirmation.confirm')}
                  </Button>
                </Popconfirm>
              ),
            );
          }
          if (mayManage && !p.isLead) {
            actions.push(
              <Popconfirm
                key="remove"
                title={t('framework.participant.remove.confirm', { name: p.organizationName })}
                description={t('framework.participant.remove.help')}
                okText={t('common.delete')}
                okButtonProps={{ danger: true }}
                cancelText={t('common.cancel')}
                onConfirm={() => void run(`r-${p.organizationId}`, () => edit(() => frameworksApi.removeParticipant(framework.id, p.organizationId), t('framework.participant.removed')))}
              >
                <Tooltip title={t('framework.participant.remove')}>
                  <Button size="small" danger type="text" icon={<DeleteOutlined />} loading={busy === `r-${p.organizationId}`} aria-label={t('framework.participant.remove')} />
                </Tooltip>
              </Popconfirm>,
            );
          }
          return (
            <List.Item className="participant-item" data-organization={p.organizationId} data-confirmed={p.confirmation ? 'yes' : 'no'}>
              <div className="participant-body">
                <div className="participant-name">
                  <Typography.Text strong>{p.organizationName}</Typography.Text>
                  {p.isLead && <Tag color="blue">{t('framework.participant.lead')}</Tag>}
                  {mine && <Tag color="purple">{t('framework.participant.mine')}</Tag>}
                </div>
                <Typography.Text type="secondary" className="small">
                  {t('framework.participant.part', part)}
                </Typography.Text>
                <div className="participant-confirmation">
                  {p.confirmation ? (
                    <Space size={4} wrap>
                      <Tag icon={<CheckCircleFilled />} color="success" className="confirmation-tag">
                        {t('framework.confirmation.confirmed')}
                      </Tag>
                      <Typography.Text type="secondary" className="small">
                        {t('framework.confirmation.by', {
                          name: p.confirmation.confirmedByName ?? t('framework.confirmation.someone'),
                          time: formatDateTime(p.confirmation.confirmedAt, 'YYYY-MM-DD HH:mm'),
                        })}
                      </Typography.Text>
                    </Space>
                  ) : (
                    <Space size={4} wrap>
                      <Tag icon={<ClockCircleOutlined />} color="warning" className="confirmation-tag">
                        {t('framework.confirmation.pending')}
                      </Tag>
                      {editable && (
                        <Typography.Text type="secondary" className="small">
                          {mine ? t('framework.confirmation.pendingMine') : t('framework.confirmation.pendingOther')}
                        </Typography.Text>
                      )}
                    </Space>
                  )}
                </div>
              </div>
              {actions.length > 0 && <Space className="participant-actions" wrap>{actions}</Space>}
            </List.Item>
          );
        }}
      />
      <Modal
        open={adding}
        title={t('framework.participant.add')}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        confirmLoading={busy === 'add'}
        onOk={() => void add()}
        onCancel={() => setAdding(false)}
        forceRender
      >
        <Form form={form} layout="vertical" name="addParticipant">
          <Form.Item
            name="organizationId"
            label={t('framework.field.participant')}
            extra={t('framework.field.participants.help')}
            rules={[{ required: true, message: t('common.pleaseSelect', { field: t('framework.field.participant') }) }]}
          >
            <DepartmentSelect purpose="participant" exclude={[...existing]} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
