export * from './restorable-window.js';
