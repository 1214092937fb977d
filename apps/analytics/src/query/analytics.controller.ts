import { BadRequestException, Controller, Get, Param, Query } from '@nestjs/common';
import { ErrorsService, ErrorsView } from './errors.service';
import { ParamResult, parseRoomId, parseWindowMinutes } from './query-params';
import { RoomService, RoomView } from './room.service';
import { SummaryService, SummaryView } from './summary.service';

function valid<T>(result: ParamResult<T>): T {
  if (!result.ok) throw new BadRequestException(result.reason);
  return result.value;
}

/** Read-only JSON over the aggregates; the reading is in the services. */
@Controller('analytics')
export class AnalyticsController {
  constructor(
    private readonly summaries: SummaryService,
    private readonly rooms: RoomService,
    private readonly errorsView: ErrorsService,
  ) {}

  @Get('summary')
  summary(): Promise<SummaryView> {
    return this.summaries.summary();
  }

  @Get('rooms/:roomId')
  room(@Param('roomId') roomId: string): Promise<RoomView> {
    return this.rooms.room(valid(parseRoomId(roomId)));
  }

  @Get('errors')
  errors(@Query('window') window: unknown): Promise<ErrorsView> {
    return this.errorsView.errors(valid(parseWindowMinutes(window)));
  }
}
