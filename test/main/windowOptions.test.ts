import { describe, expect, test } from 'vitest';
import { mainWindowOptions } from '../../src/main/windowOptions';
import { isAllowedNavigation, rendererTarget, rendererUrl } from '../../src/main/rendererTarget';

describe('mainWindowOptions', () => {
  test('uses the secure webPreferences and the given preload', () => {
    const { webPreferences } = mainWindowOptions('/app/out/preload/index.js');
    expect(webPreferences).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  test('shows the window only when ready', () => {
    expect(mainWindowOptions('p').show).toBe(false);
  });
});

describe('rendererTarget', () => {
  test('loads the built file next to the main bundle by default', () => {
    expect(rendererTarget({}, '/app/out/main', false)).toEqual({
      kind: 'file',
      path: '/app/out/renderer/index.html',
    });
  });

  test('uses the dev server URL in development only', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    expect(rendererTarget(env, '/app/out/main', false)).toEqual({ kind: 'url', url: 'http://localhost:5173' });
    expect(rendererTarget(env, '/app/out/main', true).kind).toBe('file');
  });

  test('ignores a non-loopback dev server URL', () => {
    const env = { ELECTRON_RENDERER_URL: 'https://example.com/' };
    expect(rendererTarget(env, '/app/out/main', false).kind).toBe('file');
  });
});

describe('isAllowedNavigation', () => {
  const file = rendererTarget({}, '/app/out/main', false);
  const dev = rendererTarget({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, '/app/out/main', false);

  test('stays within the renderer document', () => {
    expect(isAllowedNavigation(rendererUrl(file) + '#/store', file)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5173/index.html?x=1', dev)).toBe(true);
  });

  test('blocks everything else', () => {
    expect(isAllowedNavigation('https://example.com/', file)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', file)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5174/', dev)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', dev)).toBe(false);
    expect(isAllowedNavigation('not a url', dev)).toBe(false);
  });
});
