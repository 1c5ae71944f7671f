import { terminalSafe } from '@atlas-backups/core';
// The one import of Ink's Text (lint forbids it elsewhere in the app): everything drawn passes here.
// eslint-disable-next-line no-restricted-imports
import { Text as InkText, type TextProps } from 'ink';
import { createElement, type ReactNode } from 'react';

const safe = (child: ReactNode): ReactNode =>
  typeof child === 'string'
    ? terminalSafe(child, { keepLineFeeds: true })
    : Array.isArray(child)
      ? child.map(safe)
      : child;

/**
 * Ink's Text, with every string in it made safe for the terminal: Atlas data and typed text are
 * drawn, never obeyed (Ink itself passes colour codes and OSC sequences such as window titles,
 * clipboard writes and hyperlinks straight through). Nested Text elements are made safe by their
 * own instance of this component.
 */
export function Text({ children, ...props }: TextProps) {
  if (Array.isArray(children)) return createElement(InkText, props, ...children.map(safe));
  return createElement(InkText, props, safe(children));
}
