// The hub's event names (ILiveClient in the server): every one carries a LiveChange, except ResyncRequired.
export const changeEvents = [
  'IncidentCreated', 'IncidentUpdated', 'IncidentDeleted',
  'CameraCreated', 'CameraUpdated', 'CameraStatusChanged', 'CameraDeleted',
  'PatrolRouteCreated', 'PatrolRouteUpdated', 'PatrolRouteDeleted',
  'PatrolUnitCreated', 'PatrolUnitUpdated', 'UnitMoved', 'PatrolUnitDeleted',
  'ZoneCreated', 'ZoneUpdated', 'ZoneDeleted',
  'DistrictCreated', 'DistrictUpdated', 'DistrictDeleted',
  'LayerReloaded',
] as const;

export type ChangeEventName = (typeof changeEvents)[number];

export const resyncEvent = 'ResyncRequired';
