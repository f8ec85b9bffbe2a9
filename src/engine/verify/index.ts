export * from './verifyStore';
