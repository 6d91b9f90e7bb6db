import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { App } from 'antd';
import { api, onUnauthorized, setCsrfToken } from '../api/client';
import type { Me } from '../api/types';
import { useT } from '../i18n';

type AuthState = { status: 'loading'; me: null } | { status: 'anonymous'; me: null } | { status: 'authenticated'; me: Me };

interface AuthValue {
  state: AuthState;
  /** Records a successful login. */
  signedIn: (me: Me, csrfToken: string) => void;
  logout: () => Promise<void>;
  /** Reloads the current user (permissions may have changed). */
  refresh: () => Promise<void>;
  can: (permission: string) => boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

export function loginPath(from: string): string {
  return from && from !== '/' && !from.startsWith('/login') ? `/login?redirect=${encodeURIComponent(from)}` : '/login';
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading', me: null });
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const t = useT();
  const stateRef = useRef(state);
  stateRef.current = state;
  const locationRef = useRef(location);
  locationRef.current = location;

  // Any 401 (other than from login) means the session is gone: back to the login page.
  useEffect(() => {
    onUnauthorized(() => {
      const wasSignedIn = stateRef.current.status === 'authenticated';
      setCsrfToken(null);
      setState({ status: 'anonymous', me: null });
      const here = locationRef.current;
      // The open-data portal (/open) needs no session: an anonymous visitor stays there.
      if (!here.pathname.startsWith('/login') && !here.pathname.startsWith('/open')) {
        if (wasSignedIn) void message.warning({ content: t('error.sessionExpired'), key: 'session-expired' });
        navigate(loginPath(here.pathname + here.search), { replace: true });
      }
    });
    return () => onUnauthorized(null);
  }, [message, navigate, t]);

  const refresh = useCallback(async () => {
    try {
      const { user, csrfToken } = await api.auth.me();
      setCsrfToken(csrfToken);
      setState({ status: 'authenticated', me: user });
    } catch {
      // 401 is handled by onUnauthorized; any other failure leaves us signed out
      setState((current) => (current.status === 'loading' ? { status: 'anonymous', me: null } : current));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const signedIn = useCallback((me: Me, csrfToken: string) => {
    setCsrfToken(csrfToken);
    setState({ status: 'authenticated', me });
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.auth.logout();
    } catch {
      // the session may already be gone; sign out locally regardless
    }
    setCsrfToken(null);
    setState({ status: 'anonymous', me: null });
    navigate('/login', { replace: true });
  }, [navigate]);

  const value = useMemo<AuthValue>(() => {
    const permissions = new Set(state.me?.permissions ?? []);
    return { state, signedIn, logout, refresh, can: (permission) => permissions.has(permission) };
  }, [state, signedIn, logout, refresh]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user; only for use below the authenticated layout. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== 'authenticated') throw new Error('useMe used without a signed-in user');
  return state.me;
}

export function useCan(): (permission: string) => boolean {
  return useAuth().can;
}
