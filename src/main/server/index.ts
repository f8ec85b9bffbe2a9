export { startServer, type ServeHandle, type ServeOptions } from './server';
export { CONTENT_SECURITY_POLICY, locateRendererDir } from './static';
