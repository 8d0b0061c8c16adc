// MapLibre's own UI strings (control tooltips, aria labels, scale units) per page language. MapLibre ships English
// only; the map is created with `locale` and switched with `applyMapLocale` (its controls are re-added so that their
// titles are read again).
const zhCN: Record<string, string> = {
  'Map.Title': '地图',
  'Marker.Title': '地图标记',
  'Popup.Close': '关闭弹窗',
  'NavigationControl.ZoomIn': '放大',
  'NavigationControl.ZoomOut': '缩小',
  'NavigationControl.ResetBearing': '拖动旋转地图，点击恢复正北',
  'ScaleControl.Meters': '米',
  'ScaleControl.Kilometers': '公里',
  'ScaleControl.Feet': '英尺',
  'ScaleControl.Miles': '英里',
  'ScaleControl.NauticalMiles': '海里',
  'FullscreenControl.Enter': '进入全屏',
  'FullscreenControl.Exit': '退出全屏',
  'GeolocateControl.FindMyLocation': '查找我的位置',
  'GeolocateControl.LocationNotAvailable': '无法获取位置',
  'AttributionControl.ToggleAttribution': '显示或隐藏版权信息',
  'AttributionControl.MapFeedback': '地图反馈',
  'LogoControl.Title': 'MapLibre 标志',
  'CooperativeGesturesHandler.WindowsHelpText': '按住 Ctrl 并滚动以缩放地图',
  'CooperativeGesturesHandler.MacHelpText': '按住 ⌘ 并滚动以缩放地图',
  'CooperativeGesturesHandler.MobileHelpText': '用两根手指移动地图',
};

/** MapLibre's own English strings for the keys translated above (to switch back without reloading). */
const en: Record<string, string> = {
  'Map.Title': 'Map',
  'Marker.Title': 'Map marker',
  'Popup.Close': 'Close popup',
  'NavigationControl.ZoomIn': 'Zoom in',
  'NavigationControl.ZoomOut': 'Zoom out',
  'NavigationControl.ResetBearing': 'Drag to rotate map, click to reset north',
  'ScaleControl.Meters': 'm',
  'ScaleControl.Kilometers': 'km',
  'ScaleControl.Feet': 'ft',
  'ScaleControl.Miles': 'mi',
  'ScaleControl.NauticalMiles': 'nm',
  'FullscreenControl.Enter': 'Enter fullscreen',
  'FullscreenControl.Exit': 'Exit fullscreen',
  'GeolocateControl.FindMyLocation': 'Find my location',
  'GeolocateControl.LocationNotAvailable': 'Location not available',
  'AttributionControl.ToggleAttribution': 'Toggle attribution',
  'AttributionControl.MapFeedback': 'Map feedback',
  'LogoControl.Title': 'MapLibre logo',
  'CooperativeGesturesHandler.WindowsHelpText': 'Use Ctrl + scroll to zoom the map',
  'CooperativeGesturesHandler.MacHelpText': 'Use ⌘ + scroll to zoom the map',
  'CooperativeGesturesHandler.MobileHelpText': 'Use two fingers to move the map',
};

/** The `locale` option for MapLibre in a page language ('zh-CN' or 'en'). */
export function mapLocale(lang: string): Record<string, string> {
  return lang.toLowerCase().startsWith('zh') ? zhCN : en;
}
