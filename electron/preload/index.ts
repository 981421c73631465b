import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('sfdb', {})
