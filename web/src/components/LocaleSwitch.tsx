import { Fragment } from 'react';
import { TranslationOutlined } from '@ant-design/icons';
import { useLocale, useT } from '../i18n';
import { LOCALES } from '../i18n/messages';

/**
 * Language switch: both languages are shown side by side (each in its own language), the
 * current one highlighted, so it can be found without reading the current language. The
 * choice is kept in localStorage.
 */
export default function LocaleSwitch({ dark = false }: { dark?: boolean }) {
  const { locale, setLocale } = useLocale();
  const t = useT();
  return (
    <span className={dark ? 'locale-switch locale-switch-dark' : 'locale-switch'} title={t('locale.switch')} role="group" aria-label={t('locale.switch')}>
      <TranslationOutlined />
      {LOCALES.map((code, index) => (
        <Fragment key={code}>
          {index > 0 && <span className="locale-switch-divider" aria-hidden="true" />}
          <button
            type="button"
            className={code === locale ? 'locale-option locale-option-active' : 'locale-option'}
            aria-pressed={code === locale}
            lang={code}
            onClick={() => setLocale(code)}
          >
            {t(`locale.${code}`)}
          </button>
        </Fragment>
      ))}
    </span>
  );
}
