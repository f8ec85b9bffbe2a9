export * from './values';
export * from './schemas';
export * from './methods';
export * from './transport';
export * from './names';
