import { Text, render } from 'ink';

// The baseline for the start-up benchmark: the smallest Ink program, drawn once.
render(<Text>Hello from Ink</Text>);
