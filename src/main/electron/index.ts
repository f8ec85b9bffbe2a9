// Electron main-process entry (out/main/index.js). The only main-process directory that may
// import 'electron'; services live in electron-free modules under src/main.
import { startApp } from './lifecycle';

startApp();
