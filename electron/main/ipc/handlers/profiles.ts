/** Handlers of the profiles domain: the connection profiles, never with a password in an answer. */
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

export function profileHandlers({ profiles }: Services): DomainHandlers<'profiles'> {
  return {
    'profiles:list': () => toResult(() => profiles.list()),
    'profiles:get': ({ name }) => toResult(() => profiles.get(name)),
    'profiles:create': ({ profile }) => toResult(() => profiles.create(profile)),
    'profiles:update': ({ name, profile }) => toResult(() => profiles.update(name, profile)),
    'profiles:delete': ({ name }) => toResult(() => profiles.remove(name)),
    'profiles:clone': ({ from, to }) => toResult(() => profiles.clone(from, to)),
    'profiles:import': (request) => toResult(() => profiles.importProfile(request)),
    'profiles:test': ({ name }) => toResult(() => profiles.test(name)),
  }
}
