import { markReady, nav } from '../common.js';

nav('index.html');
markReady();
