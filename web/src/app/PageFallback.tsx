// Shown while a route's code chunk loads.
import { Skeleton } from 'antd';

export function PageFallback() {
  return <Skeleton active paragraph={{ rows: 6 }} style={{ padding: 8 }} />;
}
