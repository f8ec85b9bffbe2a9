export * from './storeFiles';
export * from './inflate';
