import { Alert, Button, Modal, QRCode, Space, Typography } from 'antd';
import { useT } from '../i18n';

export interface TotpSecretInfo {
  username: string;
  displayName: string;
  totpSecret: string;
  totpUri: string;
}

/** Shows a freshly generated TOTP secret exactly once. */
export default function TotpSecretModal({ info, onClose }: { info: TotpSecretInfo | null; onClose: () => void }) {
  const t = useT();
  const grouped = info?.totpSecret.replace(/(.{4})(?=.)/g, '$1 ') ?? '';
  return (
    <Modal
      open={info !== null}
      title={t('user.totpSecret.title')}
      onCancel={onClose}
      maskClosable={false}
      keyboard={false}
      width={560}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('user.totpSecret.confirm')}
        </Button>
      }
    >
      {info && (
        <Space direction="vertical" size={16} className="full-width">
          <Alert type="warning" showIcon message={t('user.totpSecret.warning')} />
          <Typography.Text strong>{t('user.totpSecret.forUser', { name: info.displayName, username: info.username })}</Typography.Text>
          <div className="totp-body">
            <div className="totp-qr">
              <QRCode value={info.totpUri} size={168} bordered={false} errorLevel="M" />
              <Typography.Text type="secondary" className="totp-qr-caption">
                {t('user.totpSecret.qr')}
              </Typography.Text>
            </div>
            <div className="totp-text">
              <Typography.Text type="secondary">{t('user.totpSecret.secret')}</Typography.Text>
              <Typography.Paragraph copyable={{ text: info.totpSecret, tooltips: [t('common.copy'), t('common.copied')] }} className="totp-secret mono">
                {grouped}
              </Typography.Paragraph>
              <Typography.Text type="secondary">{t('user.totpSecret.uri')}</Typography.Text>
              <Typography.Paragraph copyable={{ text: info.totpUri, tooltips: [t('common.copy'), t('common.copied')] }} className="totp-uri mono">
                {info.totpUri}
              </Typography.Paragraph>
            </div>
          </div>
        </Space>
      )}
    </Modal>
  );
}
