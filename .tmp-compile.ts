import { compileTestContracts } from './src/devnet/compile';
const t = Date.now();
compileTestContracts().then((a) => { console.log(Object.keys(a), Date.now() - t, 'ms'); }).catch((e) => { console.error(e.message, e.details); process.exit(1); });
