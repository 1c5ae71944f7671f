import { Component, type ReactNode } from 'react';
import { Text } from '../components/text.js';
import { describeError } from '../terminal/format.js';

/** Keeps a rendering bug in one view from taking the whole terminal down. */
export class ViewBoundary extends Component<
  { children: ReactNode; resetKey: string },
  { error: unknown; key: string }
> {
  override state = { error: undefined as unknown, key: this.props.resetKey };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { error: unknown; key: string }) {
    return props.resetKey === state.key ? null : { error: undefined, key: props.resetKey };
  }
  override render() {
    if (this.state.error !== undefined)
      return (
        <Text color="red">{`✖ This view failed: ${describeError(this.state.error).text} (esc: back)`}</Text>
      );
    return this.props.children;
  }
}
