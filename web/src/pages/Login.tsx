import { useEffect, useRef, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Form, Input, Typography } from 'antd';
import {
  ArrowLeftOutlined,
  AuditOutlined,
  BankOutlined,
  LockOutlined,
  NodeIndexOutlined,
  SafetyCertificateOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { api, ApiError, NetworkError } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { useLocale, useT } from '../i18n';
import LocaleSwitch from '../components/LocaleSwitch';

interface Credentials {
  username: string;
  password: string;
}

function safeRedirect(target: string | null): string {
  // only same-site absolute paths; never "//host" or a full URL
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/login')) return '/';
  return target;
}

export default function LoginPage() {
  const t = useT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { state, signedIn } = useAuth();
  const [step, setStep] = useState<'password' | 'totp'>('password');
  const [credentials, setCredentials] = useState<Credentials | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // guards against a second submit while one is in flight (the OTP input fires on every full entry)
  const inFlight = useRef(false);
  const [passwordForm] = Form.useForm<Credentials>();
  // The OTP input keeps its own cells: we track what it holds and remount it (new key) to clear it.
  const [otp, setOtp] = useState('');
  const [otpKey, setOtpKey] = useState(0);
  const [otpFormatError, setOtpFormatError] = useState(false);
  const clearOtp = () => {
    setOtp('');
    setOtpFormatError(false);
    setOtpKey((key) => key + 1);
  };

  const { locale } = useLocale();
  // a server message is in the language it was asked in: drop it when the step or language changes
  useEffect(() => {
    setError(null);
  }, [step, locale]);

  if (state.status === 'authenticated') return <Navigate to={safeRedirect(params.get('redirect'))} replace />;

  const describe = (err: unknown): string => {
    if (err instanceof ApiError) return err.userMessage ?? t('error.unknown');
    if (err instanceof NetworkError) return t('error.network');
    return t('error.unknown');
  };

  const attempt = async (creds: Credentials, totp?: string) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setSubmitting(true);
    setError(null);
    try {
      const result = await api.auth.login({ ...creds, ...(totp ? { totp } : {}) });
      signedIn(result.user, result.csrfToken);
      navigate(safeRedirect(params.get('redirect')), { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'auth.totp_required') {
        setCredentials(creds);
        setStep('totp');
        clearOtp();
        return;
      }
      if (totp) clearOtp();
      setError(describe(err));
    } finally {
      inFlight.current = false;
      setSubmitting(false);
    }
  };

  const backToPassword = () => {
    setStep('password');
    setCredentials(null);
    passwordForm.setFieldValue('password', '');
  };

  return (
    <div className="login-page">
      <div className="login-topbar">
        <div className="login-brand">
          <BankOutlined className="login-brand-icon" />
          <span>{t('app.fullTitle')}</span>
        </div>
        <LocaleSwitch dark />
      </div>

      <div className="login-main">
        <div className="login-intro">
          <h1 className="login-intro-title">{t('app.fullTitle')}</h1>
          <p className="login-intro-subtitle">{t('app.subtitle')}</p>
          <ul className="login-features">
            <li>
              <NodeIndexOutlined /> {t('login.feature.lifecycle')}
            </li>
            <li>
              <SafetyCertificateOutlined /> {t('login.feature.security')}
            </li>
            <li>
              <AuditOutlined /> {t('login.feature.audit')}
            </li>
          </ul>
        </div>

        <div className="login-card">
          {step === 'password' ? (
            <>
              <div className="login-card-header">
                <Typography.Title level={3} className="login-card-title">
                  {t('login.title')}
                </Typography.Title>
                <Typography.Text type="secondary">{t('app.title')}</Typography.Text>
              </div>
              {error && <Alert type="error" showIcon message={error} className="login-alert" />}
              <Form<Credentials>
                form={passwordForm}
                layout="vertical"
                size="large"
                requiredMark={false}
                onFinish={(values) => void attempt({ username: values.username.trim(), password: values.password })}
                autoComplete="on"
              >
                <Form.Item
                  name="username"
                  label={t('login.username')}
                  rules={[{ required: true, whitespace: true, message: t('login.username.placeholder') }]}
                >
                  <Input prefix={<UserOutlined />} placeholder={t('login.username.placeholder')} autoComplete="username" autoFocus />
                </Form.Item>
                <Form.Item
                  name="password"
                  label={t('login.password')}
                  rules={[{ required: true, message: t('login.password.placeholder') }]}
                >
                  <Input.Password prefix={<LockOutlined />} placeholder={t('login.password.placeholder')} autoComplete="current-password" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block loading={submitting} className="login-submit">
                  {submitting ? t('login.submitting') : t('login.submit')}
                </Button>
              </Form>
            </>
          ) : (
            <>
              <div className="login-card-header">
                <SafetyCertificateOutlined className="login-totp-icon" />
                <Typography.Title level={3} className="login-card-title">
                  {t('login.totp.title')}
                </Typography.Title>
                <Typography.Text type="secondary">{t('login.totp.desc')}</Typography.Text>
              </div>
              {error && <Alert type="error" showIcon message={error} className="login-alert" />}
              <Form
                layout="vertical"
                size="large"
                requiredMark={false}
                onFinish={() => {
                  if (!/^\d{6}$/.test(otp)) {
                    setOtpFormatError(true);
                    return;
                  }
                  if (credentials) void attempt(credentials, otp);
                }}
              >
                <Form.Item
                  label={t('login.totp.label')}
                  className="login-otp-item"
                  validateStatus={otpFormatError ? 'error' : undefined}
                  help={otpFormatError ? t('login.totp.invalidFormat') : undefined}
                >
                  <Input.OTP
                    key={otpKey}
                    length={6}
                    formatter={(value) => value.replace(/\D/g, '')}
                    autoFocus
                    onInput={(cells) => {
                      setOtp(cells.join(''));
                      setOtpFormatError(false);
                    }}
                    onChange={(value) => {
                      // submit as soon as the sixth digit is in
                      if (credentials && /^\d{6}$/.test(value)) void attempt(credentials, value);
                    }}
                  />
                </Form.Item>
                <Button type="primary" htmlType="submit" block loading={submitting} className="login-submit">
                  {t('login.totp.submit')}
                </Button>
                <Button type="link" block icon={<ArrowLeftOutlined />} onClick={backToPassword} className="login-back">
                  {t('login.totp.back')}
                </Button>
              </Form>
            </>
          )}
          <div className="login-card-footer">{t('login.footer.security')}</div>
        </div>
      </div>

      <div className="login-footer">
        <div>{t('login.footer.browser')}</div>
        <div>© {t('app.copyright')}</div>
      </div>
    </div>
  );
}
