export * from './open-atlas.js';
