import { useEffect, useState } from 'react'

/** The current time in ms, updated every `intervalMs` while the component is mounted (elapsed clocks). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs)
    return () => window.clearInterval(timer)
  }, [intervalMs])
  return now
}
