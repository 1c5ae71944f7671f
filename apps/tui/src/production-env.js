// Loaded before React and Ink (it is the first import of the built main.js, kept outside the
// bundle): they choose their production builds only when NODE_ENV says so at load time, and the
// development builds make the terminal UI start and redraw markedly slower.
process.env.NODE_ENV ??= 'production';
