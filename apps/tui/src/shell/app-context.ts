import { createContext, useContext } from 'react';
import type { FlowRequest } from '../forms/action-flow.js';
import type { NavAction } from '../navigation/page-stack.js';
import type { TabTarget } from '../navigation/tabs.js';
import type { AppServices } from '../services/app-services.js';

export type StatusKind = 'info' | 'ok' | 'warn' | 'error';

export interface Status {
  kind: StatusKind;
  text: string;
}

/** What the views may ask of the app shell. */
export interface AppContextValue {
  services: AppServices;
  /** False while a dialog, form, help or prompt has the keyboard (read when a key arrives). */
  active: () => boolean;
  filter: string;
  refreshToken: number;
  setStatus(status: Status | undefined): void;
  navigate(action: NavAction): void;
  /** Another of the current cluster's tabs; the status line says when it has no such tab. */
  switchTab(to: TabTarget): void;
  openFlow(request: FlowRequest): void;
  /** Monotonic clock used for elapsed times; tests may pin it. */
  now(): number;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <App>');
  return value;
}
